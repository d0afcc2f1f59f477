package org.csp.edge.register;

import java.util.List;

/** The register as last computed: when, over which window, and its entries in order. */
record RegisterSnapshot(long computedAt, long from, long to, List<Assessment> entries) {}
