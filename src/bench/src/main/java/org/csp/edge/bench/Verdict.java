package org.csp.edge.bench;

/** Whether a hop kept up with a step; {@code why} names every limit it broke (empty when it kept up). */
record Verdict(boolean keptUp, String why) {}
