package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.config.NodeConfig;

/** The Kubernetes objects of one rendered release, with the look-ups the tests share. */
record Manifests(List<Map<String, Object>> documents) {

  List<Map<String, Object>> all(String kind) {
    return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
  }

  boolean has(String kind) {
    return !all(kind).isEmpty();
  }

  Map<String, Object> one(String kind) {
    List<Map<String, Object>> found = all(kind);
    assertEquals(1, found.size(), "rendered " + kind + " objects");
    return found.get(0);
  }

  Map<String, Object> named(String kind, String nameSuffix) {
    return all(kind).stream().filter(d -> Tree.string(d, "metadata.name").endsWith(nameSuffix)).findFirst()
        .orElseGet(() -> fail("no " + kind + " named *" + nameSuffix));
  }

  Map<String, Object> statefulSet() {
    return one("StatefulSet");
  }

  Map<String, Object> podSpec() {
    return Tree.map(statefulSet(), "spec.template.spec");
  }

  /** The node's container (the pod has only that one). */
  Map<String, Object> container() {
    List<Map<String, Object>> containers = Tree.list(podSpec(), "containers");
    assertEquals(1, containers.size(), "containers in the node's pod");
    return containers.get(0);
  }

  /** The value of a plain environment variable of the node's container, or null when it is not set. */
  String env(String name) {
    for (Map<String, Object> var : Tree.<Map<String, Object>>list(container(), "env")) {
      if (name.equals(var.get("name"))) return var.get("value") == null ? null : String.valueOf(var.get("value"));
    }
    return null;
  }

  Map<String, Object> envVar(String name) {
    return Tree.<Map<String, Object>>list(container(), "env").stream().filter(v -> name.equals(v.get("name")))
        .findFirst().orElseGet(() -> fail("no environment variable " + name));
  }

  /** A container port by number or by name, as a probe or a Service's targetPort may give it. */
  int containerPort(Object numberOrName) {
    if (numberOrName instanceof Number n) return n.intValue();
    for (Map<String, Object> port : Tree.<Map<String, Object>>list(container(), "ports")) {
      if (numberOrName.equals(port.get("name"))) return ((Number) port.get("containerPort")).intValue();
    }
    return fail("the container has no port named " + numberOrName);
  }

  Map<String, Object> volume(String name) {
    return Tree.<Map<String, Object>>list(podSpec(), "volumes").stream().filter(v -> name.equals(v.get("name")))
        .findFirst().orElseGet(() -> fail("no volume " + name));
  }

  /** The mount of a path in the node's container. */
  Map<String, Object> mountAt(String path) {
    Map<String, Object> mount = Tree.<Map<String, Object>>list(container(), "volumeMounts").stream()
        .filter(m -> path.equals(m.get("mountPath"))).findFirst().orElse(null);
    assertNotNull(mount, "a volume mounted at " + path);
    return mount;
  }

  /** The ConfigMap's config.yaml, as the node reads it from its mount. */
  String configFile() {
    Object text = Tree.map(named("ConfigMap", "-config"), "data").get("config.yaml");
    assertNotNull(text, "the ConfigMap's config.yaml");
    return (String) text;
  }

  /** What the pod's node makes of the rendered file and the chart's environment: the node's own loader, in dir. */
  NodeConfig nodeConfig(Path dir) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, configFile());
    Map<String, String> env = new HashMap<>();
    for (Map<String, Object> var : Tree.<Map<String, Object>>list(container(), "env")) {
      if (var.get("value") != null) env.put((String) var.get("name"), String.valueOf(var.get("value")));
    }
    env.put("NODE_ID", Tree.string(statefulSet(), "metadata.name") + "-0"); // from the pod's name at run time
    return ConfigLoader.load(file, env);
  }
}
