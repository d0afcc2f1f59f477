package org.csp.edge.rollup;

/** The frequent-items image of one alert code's hubs ({@code of} "hubs") or devices ("devices") in a period. */
public record TopRow(String alertCode, String of, byte[] sketch) {}
