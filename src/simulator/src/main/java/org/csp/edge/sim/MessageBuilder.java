package org.csp.edge.sim;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects the elements of one message together with what the node must do with each, then encodes them.
 * Keeping the expectation next to the element is what makes the accounting of a message trustworthy.
 */
final class MessageBuilder {

  /** What the node must do with one element. */
  enum Expect { ACCEPT, DUPLICATE, REJECT }

  private record Element(Object json, String rawLine, Expect expect, String codeKey) {
  }

  private final List<Element> elements = new ArrayList<>();

  /** An element (JsonObject, or any JSON value for bad input) and the code it is counted under. */
  MessageBuilder add(Object json, Expect expect, String codeKey) {
    elements.add(new Element(json, null, expect, codeKey));
    return this;
  }

  /** A raw NDJSON line (e.g. malformed JSON), counted as one rejected unit with an unreadable code. */
  MessageBuilder addRawLine(String line) {
    if (line.isBlank() || line.contains("\n")) {
      throw new IllegalArgumentException("a raw line must be one non-empty line");
    }
    elements.add(new Element(null, line, Expect.REJECT, SimMessage.INVALID_CODE));
    return this;
  }

  /** One element sent as a bare JSON value (normally an alert object). */
  SimMessage single(String kind, String hubTopic) {
    if (elements.size() != 1 || elements.get(0).rawLine() != null) {
      throw new IllegalStateException("a single message has exactly one JSON element, not " + elements.size());
    }
    return message(kind, hubTopic, Json.encode(elements.get(0).json()), SimMessage.Format.JSON);
  }

  /** All elements as a JSON array, or as NDJSON (one line each, plus blank lines if asked). */
  SimMessage batch(String kind, String hubTopic, SimMessage.Format format) {
    return batch(kind, hubTopic, format, false);
  }

  SimMessage batch(String kind, String hubTopic, SimMessage.Format format, boolean blankLines) {
    if (elements.isEmpty()) {
      throw new IllegalStateException("an empty batch has no accounting unit");
    }
    if (format == SimMessage.Format.JSON) {
      JsonArray array = new JsonArray();
      for (Element element : elements) {
        if (element.rawLine() != null) {
          throw new IllegalStateException("a raw line cannot go into a JSON array");
        }
        array.add(element.json());
      }
      return message(kind, hubTopic, array.encode(), format);
    }
    StringBuilder ndjson = new StringBuilder();
    for (Element element : elements) {
      if (blankLines) {
        ndjson.append('\n'); // blank lines are not units: the node must skip them
      }
      ndjson.append(element.rawLine() != null ? element.rawLine() : Json.encode(element.json())).append('\n');
    }
    return message(kind, hubTopic, ndjson.toString(), format);
  }

  private SimMessage message(String kind, String hubTopic, String text, SimMessage.Format format) {
    Map<String, Integer> byCode = new TreeMap<>();
    int valid = 0;
    int duplicates = 0;
    for (Element element : elements) {
      byCode.merge(element.codeKey(), 1, Integer::sum);
      if (element.expect() == Expect.ACCEPT) {
        valid++;
      } else if (element.expect() == Expect.DUPLICATE) {
        duplicates++;
      }
    }
    return new SimMessage(hubTopic, text.getBytes(StandardCharsets.UTF_8), elements.size(), kind, byCode, valid,
      duplicates, format);
  }
}
