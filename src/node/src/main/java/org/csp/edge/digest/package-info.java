/**
 * The digests per recipient (src/docs/design.md, "Digests"): once a period has ended, one {@code digest} event
 * per recipient upstream, built from the rollups' store (counts by code and outcome, top hubs and device models,
 * what silences and inhibitions held) and the storms counted cluster-wide ({@code StormLedger}); claimed in the
 * cluster map {@code csp-digests} so that exactly one member builds it, with an id derived from region, recipient
 * and period so that a rebuild after a failure is the same event.
 */
package org.csp.edge.digest;
