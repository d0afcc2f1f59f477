package org.csp.edge.cluster.state;

import com.hazelcast.nio.serialization.FieldKind;
import com.hazelcast.nio.serialization.compact.CompactReader;

/**
 * Reads a field that a previous release did not write: its value when present, the default when absent. Every field
 * added after a type's first release is read through here (package-info: the evolution rule).
 */
public final class Absent {
  private Absent() {}

  public static boolean has(CompactReader in, String field) {
    return in.getFieldKind(field) != FieldKind.NOT_AVAILABLE;
  }

  public static int int32(CompactReader in, String field, int otherwise) {
    return has(in, field) ? in.readInt32(field) : otherwise;
  }

  public static long int64(CompactReader in, String field, long otherwise) {
    return has(in, field) ? in.readInt64(field) : otherwise;
  }

  public static double float64(CompactReader in, String field, double otherwise) {
    return has(in, field) ? in.readFloat64(field) : otherwise;
  }

  public static boolean bool(CompactReader in, String field, boolean otherwise) {
    return has(in, field) ? in.readBoolean(field) : otherwise;
  }

  public static String string(CompactReader in, String field, String otherwise) {
    return has(in, field) ? in.readString(field) : otherwise;
  }
}
