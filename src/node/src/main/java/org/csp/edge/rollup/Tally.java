package org.csp.edge.rollup;

/** What a cell holds, serialized: its count and its distinct hubs and devices as HLL images. */
public record Tally(long count, byte[] hubs, byte[] devices) {}
