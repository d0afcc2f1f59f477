package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's README documents every value: each value of values.yaml has a row in the values table (itself or a
 * map it belongs to, such as `resources`), and each row names a value that exists.
 */
class ValuesReferenceTest {
  private static final Pattern ROW = Pattern.compile("(?m)^\\| `([A-Za-z0-9.]+)` \\|");

  @Test
  void everyValueHasARowAndEveryRowAValue() throws IOException {
    Map<?, ?> values = ChartRender.YAML.readValue(ChartRender.CHART.resolve("values.yaml").toFile(), Map.class);
    String readme = Files.readString(ChartRender.CHART.resolve("README.md"));
    String table = readme.substring(readme.indexOf("## Values"));
    Set<String> documented = new TreeSet<>();
    for (Matcher m = ROW.matcher(table); m.find(); ) documented.add(m.group(1));

    Set<String> undocumented = new TreeSet<>();
    Set<String> leaves = new TreeSet<>();
    collect("", values, leaves);
    for (String leaf : leaves) {
      if (documented.stream().noneMatch(d -> leaf.equals(d) || leaf.startsWith(d + "."))) undocumented.add(leaf);
    }
    assertEquals(Set.of(), undocumented, "values without a row in README.md");

    Set<String> stale = new TreeSet<>();
    for (String row : documented) {
      if (leaves.stream().noneMatch(l -> l.equals(row) || l.startsWith(row + "."))) stale.add(row);
    }
    assertEquals(Set.of(), stale, "rows of README.md naming no value");
  }

  private static void collect(String prefix, Object node, Set<String> leaves) {
    if (node instanceof Map<?, ?> map && !map.isEmpty()) {
      map.forEach((k, v) -> collect(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, leaves));
    } else {
      leaves.add(prefix);
    }
  }
}
