package org.csp.edge.bench;

import io.vertx.core.json.JsonObject;

/** Latency percentiles of one step, in milliseconds (NaN when there was no sample). */
record Percentiles(long samples, double p50, double p99, double p999, double max) {

  static final Percentiles NONE = new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  JsonObject toJson() {
    return new JsonObject().put("samples", samples).put("p50", Numbers.round3(p50)).put("p99", Numbers.round3(p99))
        .put("p999", Numbers.round3(p999)).put("max", Numbers.round3(max));
  }
}
