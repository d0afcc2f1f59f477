package org.csp.edge.history;

import org.csp.edge.rollup.RollupRow;

/** A stored cell with the period start and source it belongs to. */
public record StoredCell(long start, String source, RollupRow row) {}
