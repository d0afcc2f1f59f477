package org.csp.edge.sim;

import java.util.List;

/**
 * An alert scenario: an ordered stream of southbound messages, the same bytes for the same context
 * (seed, scale, transport, limits, start instant).
 */
public interface Scenario {

  /** The name used on the command line. */
  String name();

  /** One line for usage texts and reports. */
  String description();

  /** The messages, made lazily. */
  MessageSource open(ScenarioContext context);

  /** All messages at once: for tests and small runs. */
  default List<SimMessage> generate(ScenarioContext context) {
    return open(context).drain();
  }
}
