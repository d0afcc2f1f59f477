package org.csp.edge.bench.memory;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * The live objects of this JVM by class, as {@code jcmd <pid> GC.class_histogram} prints them, taken in-process
 * through the DiagnosticCommand MBean. Taking it runs a full GC first, so it counts only what is reachable: the
 * difference between two histograms is what the work in between retained, by class, without sampling or guessing.
 */
record HeapHistogram(Map<String, ClassCount> classes, long totalBytes) {

  record ClassCount(String className, long instances, long bytes) {}

  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
  private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)");

  static HeapHistogram take() {
    try {
      String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
      return parse(text);
    } catch (Exception e) {
      throw new IllegalStateException("cannot take a class histogram (a HotSpot JVM is needed): " + e, e);
    }
  }

  static HeapHistogram parse(String text) {
    Map<String, ClassCount> classes = new HashMap<>();
    long total = 0;
    for (String line : text.split("\n")) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        // Two class loaders can load classes of one name: add them up, a name is what the reader knows.
        String name = row.group(3);
        ClassCount c = new ClassCount(name, Long.parseLong(row.group(1)), Long.parseLong(row.group(2)));
        classes.merge(name, c, (a, b) -> new ClassCount(name, a.instances + b.instances, a.bytes + b.bytes));
        continue;
      }
      Matcher t = TOTAL.matcher(line);
      if (t.find()) total = Long.parseLong(t.group(2));
    }
    return new HeapHistogram(classes, total);
  }

  /** What this histogram holds beyond {@code baseline}, largest first; classes that shrank are left out. */
  List<ClassCount> growthSince(HeapHistogram baseline) {
    List<ClassCount> grown = new ArrayList<>();
    classes.forEach((name, now) -> {
      ClassCount before = baseline.classes.get(name);
      long bytes = now.bytes - (before == null ? 0 : before.bytes);
      long instances = now.instances - (before == null ? 0 : before.instances);
      if (bytes > 0) grown.add(new ClassCount(name, instances, bytes));
    });
    grown.sort(Comparator.comparingLong(ClassCount::bytes).reversed());
    return grown;
  }
}
