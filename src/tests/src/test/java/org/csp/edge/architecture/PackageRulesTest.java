package org.csp.edge.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The product's shape, read from its sources (design.md, "Code map"): the decision rules import neither Hazelcast
 * nor Vert.x, no two packages depend on each other, and nothing that crosses cluster members relies on Java
 * serialization (it cannot be read across releases: cluster state is Compact, with schemas that can gain fields).
 */
class PackageRulesTest {
  private static final Path PRODUCT = Path.of("src", "node", "src", "main", "java", "org", "csp", "edge");
  private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\n]*", Pattern.DOTALL);
  private static final Pattern REFERENCE = Pattern.compile("org\\.csp\\.edge\\.([a-z]+)\\.");

  @Test
  void theDecisionRulesKnowNeitherTheClusterNorTheEventLoop() {
    List<String> offending = new ArrayList<>();
    for (Path file : sources(PRODUCT.resolve("decision"))) {
      String text = code(file);
      if (text.contains("com.hazelcast") || text.contains("io.vertx")) offending.add(file.getFileName().toString());
    }
    assertTrue(sources(PRODUCT.resolve("decision")).size() > 5, "the decision package has its rules");
    assertEquals(List.of(), offending, "decision classes that reach Hazelcast or Vert.x");
  }

  /** The register's statistics are unit-tested on their own: no cluster, no event loop. */
  @Test
  void theRegistersStatisticsKnowNeitherTheClusterNorTheEventLoop() {
    List<String> offending = new ArrayList<>();
    List<String> statistics = List.of("Hypergeometric", "BenjaminiHochberg", "RiskRatio", "StormRegister", "Certainty",
        "Figures", "Assessment", "Status");
    for (String name : statistics) {
      String text = code(PRODUCT.resolve("register").resolve(name + ".java"));
      if (text.contains("com.hazelcast") || text.contains("io.vertx")) offending.add(name);
    }
    assertEquals(List.of(), offending, "register statistics that reach Hazelcast or Vert.x");
  }

  @Test
  void noTwoPackagesDependOnEachOther() {
    Map<String, Set<String>> uses = new TreeMap<>();
    for (Path file : sources(PRODUCT)) {
      String pkg = PRODUCT.relativize(file).getNameCount() > 1 ? PRODUCT.relativize(file).getName(0).toString() : "";
      if (pkg.isEmpty()) continue; // Main, Node and Commands compose every package: they are the top
      Matcher m = REFERENCE.matcher(code(file));
      while (m.find()) {
        if (!m.group(1).equals(pkg)) uses.computeIfAbsent(pkg, p -> new TreeSet<>()).add(m.group(1));
      }
    }
    List<String> inLoops = new ArrayList<>();
    for (String pkg : uses.keySet()) if (reaches(uses, pkg, pkg)) inLoops.add(pkg);
    assertTrue(uses.size() > 5, "the product's packages were read: " + uses.keySet());
    assertEquals(List.of(), inLoops, "packages on a dependency loop; dependencies: " + uses);
  }

  /** Whether {@code to} is reachable from {@code from}'s dependencies. */
  private static boolean reaches(Map<String, Set<String>> uses, String from, String to) {
    Set<String> seen = new TreeSet<>();
    List<String> next = new ArrayList<>(uses.getOrDefault(from, Set.of()));
    while (!next.isEmpty()) {
      String p = next.remove(next.size() - 1);
      if (p.equals(to)) return true;
      if (seen.add(p)) next.addAll(uses.getOrDefault(p, Set.of()));
    }
    return false;
  }

  @Test
  void nothingInTheProductIsJavaSerializable() {
    List<String> serializable = new ArrayList<>();
    for (Path file : sources(PRODUCT)) {
      if (read(file).matches("(?s).*implements[^{]*\\bSerializable\\b.*")) serializable.add(PRODUCT.relativize(file).toString());
    }
    assertEquals(List.of(), serializable, "product classes implementing java.io.Serializable");
  }

  private static List<Path> sources(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file without its comments: a comment may name another package without depending on it. */
  private static String code(Path file) {
    return COMMENT.matcher(read(file)).replaceAll(" ");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
