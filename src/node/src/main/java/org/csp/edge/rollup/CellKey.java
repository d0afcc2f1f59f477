package org.csp.edge.rollup;

import org.csp.edge.alert.Dmc;

/** One cell of the rollups: the hour (epoch millis of its start), the alert code, the DMC (null: unknown), the outcome. */
record CellKey(long hour, String alertCode, Dmc dmc, String outcome) {}
