package org.csp.edge.bench;

/**
 * One southbound MQTT message of the benchmark: its topic (relative: {@code alerts/{hubId}} or {@code alerts}), the
 * JSON bytes, and how many alerts it carries, which is what rates and the accounting count.
 */
record BenchMessage(String topic, byte[] payload, int alerts) {}
