/**
 * Rollups: every alert counted by hour, alert code, device model combination (DMC) and outcome, with distinct hubs
 * and devices per cell (HyperLogLog) and the most frequent hubs and devices per hour and code (frequent items).
 * Counted in memory on the member that received the alert, where the verdict comes back (no extra round trip),
 * then flushed as cumulative values keyed by member boot and flush sequence: src/docs/design.md, "Rollups".
 */
package org.csp.edge.rollup;
