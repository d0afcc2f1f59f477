/**
 * The operator console: a browser page served by the node at {@code /} (static files from the jar, no data) and
 * the API calls it needs beyond the rest of the API: who the caller is ({@code GET /v1/caller}) and the live
 * stream ({@code GET /v1/live}), aggregated on the server once per interval for every subscriber, so that what a
 * browser receives is bounded in rate and size whatever the alert rate (src/docs/operations.md, "The console").
 */
package org.csp.edge.console;
