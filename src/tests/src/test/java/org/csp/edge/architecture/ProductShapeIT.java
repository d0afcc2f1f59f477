package org.csp.edge.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The product's jar, as packaged, holds what runs in production and nothing of the tools beside it: no benchmark,
 * simulator or test-support class, and no test library. Runs after {@code package} (maven-failsafe).
 */
class ProductShapeIT {
  private static final Path PRODUCT_JAR = Path.of("src", "node", "target", "csp-edge-node.jar");
  private static final List<String> TOOL_PREFIXES = List.of(
      "org/csp/edge/bench/", "org/csp/edge/sim/", "org/csp/edge/support/", "org/csp/edge/jmh/",
      "org/junit/", "io/vertx/junit5/", "org/openjdk/jmh/", "net/jqwik/");

  @Test
  void theProductJarHoldsNoToolOrTestClass() throws IOException {
    assertTrue(Files.isRegularFile(PRODUCT_JAR), "runs after package: " + PRODUCT_JAR);
    List<String> tools = new ArrayList<>();
    int productClasses = 0;
    try (JarFile jar = new JarFile(PRODUCT_JAR.toFile())) {
      for (var entries = jar.entries(); entries.hasMoreElements(); ) {
        String name = entries.nextElement().getName();
        if (name.startsWith("org/csp/edge/") && name.endsWith(".class")) productClasses++;
        if (TOOL_PREFIXES.stream().anyMatch(name::startsWith)) tools.add(name);
      }
    }
    assertTrue(productClasses > 0, "the jar holds the node's classes");
    assertEquals(List.of(), tools, "tool and test classes in the product jar");
  }
}
