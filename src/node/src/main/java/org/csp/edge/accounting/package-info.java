/**
 * The node's accounting counters: below every package that writes them (intake, cluster, upstream) and every
 * package that reads them (ops), so that none of those needs another to count.
 */
package org.csp.edge.accounting;
