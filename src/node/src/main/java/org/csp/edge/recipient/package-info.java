/**
 * Who the node's events are for: the parties at the DSP (a DNO, the suppliers, ...) named in the configuration's
 * {@code recipients}, each with the alert codes it receives and its weight. Upstream shares the link between them
 * (fair share); the digests are made per recipient. Depends on no other package of the node.
 */
package org.csp.edge.recipient;
