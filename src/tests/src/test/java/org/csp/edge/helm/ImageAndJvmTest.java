package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image the chart runs: its tag reaches the pod as written, and the JVM options the operator sets through
 * javaToolOptions (JAVA_TOOL_OPTIONS) are the ones the JVM uses, in the Containerfile's image and in Jib's.
 */
class ImageAndJvmTest {
  private static final Path CONTAINERFILE = Path.of("node", "Containerfile");
  private static final Path NODE_POM = Path.of("src", "node", "pom.xml");

  /** YAML reads 1.10 as the number 1.1: such a tag is refused, a quoted one is kept as written. */
  @Test
  void aNumericImageTagIsRefusedAndAQuotedOneKeptAsWritten(@TempDir Path dir) throws IOException {
    Path number = Files.writeString(dir.resolve("number.yaml"), "image:\n  tag: 1.10\n");
    Exception e = assertThrows(Exception.class, () -> ChartRender.regionWithValues("north", number));
    assertTrue((e.getMessage().contains("/image/tag") || e.getMessage().contains("image.tag")) && e.getMessage().contains("string"),
        "the schema names the value and wants a string: " + e.getMessage());

    Path quoted = Files.writeString(dir.resolve("quoted.yaml"), "image:\n  tag: \"1.10\"\n");
    Manifests release = ChartRender.regionWithValues("north", quoted);
    assertTrue(Tree.string(release.container(), "image").endsWith(":1.10"), Tree.string(release.container(), "image"));
    assertEquals("1.10", Tree.map(release.statefulSet(), "spec.template.metadata.labels").get("app.kubernetes.io/version"),
        "the version label too");
  }

  /** The image starts java with no option of its own on the command line, where it would win over JAVA_TOOL_OPTIONS. */
  @Test
  void theImagesKeepTheirJvmDefaultsInJavaToolOptions() throws IOException {
    List<String> entrypoint = entrypointOptions();
    assertTrue(entrypoint.stream().noneMatch(o -> o.startsWith("-XX:") || o.startsWith("-Xm")),
        "node/Containerfile's ENTRYPOINT sets no heap or -XX option on the command line: " + entrypoint);
    String containerfile = Files.readString(CONTAINERFILE);
    assertTrue(containerfile.contains("JAVA_TOOL_OPTIONS=\"-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError\""),
        "the Containerfile's defaults are in JAVA_TOOL_OPTIONS");

    List<String> jib = jibJvmFlags();
    assertTrue(jib.stream().noneMatch(o -> o.startsWith("-XX:") || o.startsWith("-Xm")), "Jib's jvmFlags: " + jib);
    String pom = Files.readString(NODE_POM);
    assertTrue(pom.contains("<JAVA_TOOL_OPTIONS>-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError</JAVA_TOOL_OPTIONS>"),
        "Jib's image has the same defaults in JAVA_TOOL_OPTIONS");

    assertEquals("-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError", ChartRender.region("north").env("JAVA_TOOL_OPTIONS"),
        "the chart's default is the image's");
  }

  /** A real JVM, started with each image's command-line options and the rendered JAVA_TOOL_OPTIONS. */
  @Test
  void javaToolOptionsChangesTheHeapShareTheJvmUses() throws Exception {
    String options = ChartRender.region("north", "javaToolOptions=-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError")
        .env("JAVA_TOOL_OPTIONS");
    assertEquals("50.000000", flag(entrypointOptions(), options, "MaxRAMPercentage"), "Containerfile image");
    assertEquals("50.000000", flag(jibJvmFlags(), options, "MaxRAMPercentage"), "Jib image");

    String defaults = ChartRender.region("north").env("JAVA_TOOL_OPTIONS");
    assertEquals("75.000000", flag(entrypointOptions(), defaults, "MaxRAMPercentage"));
    assertEquals("true", flag(entrypointOptions(), defaults, "ExitOnOutOfMemoryError"));
  }

  /** The JVM options between java and -jar in node/Containerfile's ENTRYPOINT. */
  private static List<String> entrypointOptions() throws IOException {
    String line = Files.readAllLines(CONTAINERFILE).stream().filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
    List<String> words = new ArrayList<>();
    for (Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(line); m.find(); ) words.add(m.group(1));
    assertEquals("java", words.get(0), line);
    assertTrue(words.contains("-jar"), line);
    return words.subList(1, words.indexOf("-jar"));
  }

  private static List<String> jibJvmFlags() throws IOException {
    List<String> flags = new ArrayList<>();
    for (Matcher m = Pattern.compile("<jvmFlag>([^<]*)</jvmFlag>").matcher(Files.readString(NODE_POM)); m.find(); ) {
      flags.add(m.group(1));
    }
    return flags;
  }

  private static String flag(List<String> commandLine, String javaToolOptions, String name) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(commandLine);
    command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("JAVA_TOOL_OPTIONS", javaToolOptions);
    pb.environment().remove("JDK_JAVA_OPTIONS");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[1].equals(name)) return f[3];
    }
    assertFalse(true, "no " + name + " in:\n" + out);
    return null;
  }
}
