package org.csp.edge.bench;

import io.vertx.core.json.JsonObject;

/** A cluster's status as the bench reads it: every whole-number figure summed over the members, recursively. */
final class MemberSums {
  private MemberSums() {}

  /** {@code into} plus {@code other}: numbers added, objects summed field by field, anything else kept from {@code into}. */
  static JsonObject add(JsonObject into, JsonObject other) {
    JsonObject out = into.copy();
    for (String field : other.fieldNames()) {
      Object a = out.getValue(field);
      Object b = other.getValue(field);
      if (a instanceof Number x && b instanceof Number y && !(a instanceof Double) && !(b instanceof Double)) {
        out.put(field, x.longValue() + y.longValue());
      } else if (a instanceof JsonObject x && b instanceof JsonObject y) {
        out.put(field, add(x, y));
      } else if (a == null) {
        out.put(field, b);
      }
    }
    return out;
  }
}
