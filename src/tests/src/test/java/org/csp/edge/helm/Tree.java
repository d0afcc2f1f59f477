package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Map;

/** Walks parsed YAML by dotted paths ("spec.template.spec"); keys holding dots (labels) are read with get(). */
final class Tree {
  private Tree() {}

  static Object at(Object root, String path) {
    Object node = root;
    for (String key : path.split("\\.")) {
      if (!(node instanceof Map<?, ?> map)) return null;
      node = map.get(key);
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object root, String path) {
    Object node = at(root, path);
    assertNotNull(node, path);
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  static <T> List<T> list(Object root, String path) {
    Object node = at(root, path);
    assertNotNull(node, path);
    return (List<T>) node;
  }

  static String string(Object root, String path) {
    Object node = at(root, path);
    return node == null ? null : String.valueOf(node);
  }

  static int integer(Object root, String path) {
    Object node = at(root, path);
    assertNotNull(node, path);
    return node instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(node));
  }
}
