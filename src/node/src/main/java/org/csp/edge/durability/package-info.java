/**
 * The member's local journal of what a PUBACK promises (src/docs/design.md, "A node that crashes"): an
 * append-only file of records in the data directory, written before an operation's result goes back, read at start
 * to give a restarted node the hubs, group records and counts its acknowledgements stood for. It knows records as
 * bytes by family and key ({@link org.csp.edge.durability.JournalRecord}); what they mean is its callers'.
 */
package org.csp.edge.durability;
