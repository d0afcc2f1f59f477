package org.csp.edge.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Good alerts interleaved with every kind of bad input the simulator knows (see {@link BadInputs}), and
 * with valid inputs at the edge of the format. Each round sends every entry once, in a shuffled order,
 * each followed by {@value #GOOD_BETWEEN} good alerts. Entries a transport cannot express are left out
 * (a topic/body hub mismatch over HTTP, NDJSON lines over MQTT); {@link #skippedKinds} names them.
 */
public final class BadInputScenario implements Scenario {

  public static final String NAME = "bad-input";
  public static final int DEFAULT_ROUNDS = 3;
  public static final int GOOD_BETWEEN = 2;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return DEFAULT_ROUNDS + " x scale rounds of every bad input (malformed JSON, missing fields, wrong types, bad ids,"
      + " oversized payload and message, hub mismatch, ...) among good alerts";
  }

  /** Entries left out for this context, as "kind/variant". */
  public static List<String> skippedKinds(ScenarioContext context) {
    return BadInputs.skippedKinds(context);
  }

  @Override
  public MessageSource open(ScenarioContext context) {
    AlertFactory factory = new AlertFactory(context);
    BadInputs inputs = new BadInputs(factory);
    List<BadInputs.Entry> catalogue = BadInputs.catalogue(context);
    int rounds = context.scaled(DEFAULT_ROUNDS);
    long total = (long) rounds * catalogue.size() * (1 + GOOD_BETWEEN);
    Deque<SimMessage> ready = new ArrayDeque<>();
    List<BadInputs.Entry> round = new ArrayList<>();
    return MessageSource.generated(total, () -> {
      if (ready.isEmpty()) {
        if (round.isEmpty()) {
          round.addAll(catalogue);
          shuffle(round, factory);
        }
        ready.add(round.remove(round.size() - 1).make().apply(inputs));
        for (int i = 0; i < GOOD_BETWEEN; i++) {
          ready.add(inputs.goodSingle());
        }
      }
      return ready.poll();
    });
  }

  private static <T> void shuffle(List<T> list, AlertFactory factory) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = factory.random().nextInt(i + 1);
      list.set(j, list.set(i, list.get(j)));
    }
  }
}
