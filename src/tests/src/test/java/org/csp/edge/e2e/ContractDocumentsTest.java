package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.csp.edge.support.ContractSchemas;
import org.junit.jupiter.api.Test;

/**
 * The contract's machine-readable documents hold together: the AsyncAPI document parses, every $ref in it resolves
 * (to a place in the document, or to a schema file that compiles with all of its own $refs), it has a channel for
 * each of the contract's topics, and every schema in src/docs/schemas compiles as JSON Schema 2020-12.
 */
class ContractDocumentsTest {
  private static final Path ASYNCAPI = Path.of("src/docs/asyncapi.yaml");
  private final ContractSchemas schemas = new ContractSchemas();

  @Test
  void theAsyncApiDocumentParsesAndEveryRefResolves() throws Exception {
    JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(ASYNCAPI.toFile());
    assertEquals("3.0.0", doc.path("asyncapi").asText());
    assertEquals("2", doc.path("info").path("version").asText(), "the contract revision");
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertTrue(refs.size() > 30, "refs: " + refs.size());
    Set<String> files = new TreeSet<>();
    for (String ref : refs) {
      if (ref.startsWith("#")) {
        assertFalse(doc.at(ref.substring(1)).isMissingNode(), "a $ref to nothing in the document: " + ref);
      } else {
        Path file = ASYNCAPI.getParent().resolve(ref.split("#")[0]);
        assertTrue(Files.isRegularFile(file), "a $ref to no file: " + ref);
        files.add(ContractSchemas.DIR.relativize(file).toString());
      }
    }
    for (String f : files) schemas.schema(f); // compiles, its own $refs resolved
    Set<String> events = new TreeSet<>();
    doc.at("/components/messages").fields().forEachRemaining(e -> events.add(e.getValue().path("name").asText()));
    assertEquals(Set.of("alerts", "alert", "summary", "group", "storm-start", "storm-end", "digest", "heartbeat", "status"),
        events, "a message for the alerts, for each event type and for the node's status");
    Set<String> addresses = new TreeSet<>();
    doc.path("channels").forEach(c -> addresses.add(c.path("address").asText()));
    assertEquals(new TreeSet<>(Set.of("alerts/{hubId}", "alerts", "{prefix}alert/{alertCode}", "{prefix}summary/{alertCode}",
        "{prefix}group/{alertCode}", "{prefix}storm", "{prefix}digest/{recipient}", "{prefix}node/{nodeId}/heartbeat",
        "{prefix}node/{nodeId}/status")), addresses, "the contract's topics");
  }

  @Test
  void everySchemaCompilesAndEveryEventTypeHasOne() throws Exception {
    try (Stream<Path> all = Files.list(ContractSchemas.DIR)) {
      List<String> names = all.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".schema.json")).sorted().toList();
      assertTrue(names.size() >= 10, names.toString());
      for (String n : names) schemas.schema(n);
    }
    JsonNode types = schemas.schema("defs.schema.json").getSchemaNode().at("/$defs/eventHeader/properties/type/enum");
    types.forEach(t -> assertTrue(new File(ContractSchemas.DIR.toFile(), ContractSchemas.eventSchemaFile(t.asText())).isFile(),
        "no schema for events of type " + t));
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("$ref")) refs.add(e.getValue().asText());
        else collectRefs(e.getValue(), refs);
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, refs));
    }
  }
}
