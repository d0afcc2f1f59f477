/**
 * Operators' silences: created, listed and expired over the HTTP API ({@code ops.SilenceRoutes}), kept cluster-wide
 * in a Hazelcast map and in each member's data directory, and handed to the decisions as {@code decision.Silence}s,
 * which every hub operation carries. Below {@code ops}, above {@code cluster}.
 */
package org.csp.edge.silence;
