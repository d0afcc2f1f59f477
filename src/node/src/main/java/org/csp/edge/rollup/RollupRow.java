package org.csp.edge.rollup;

import org.csp.edge.alert.Dmc;

/** One cell of a period: alert code, DMC (null: unknown), outcome, and its tally. */
public record RollupRow(String alertCode, Dmc dmc, String outcome, Tally tally) {}
