package org.csp.edge.sim;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Background traffic: many hubs, each raising a few alerts of assorted codes, never more than
 * {@value #MAX_SAME_CODE_PER_HUB} of one code, so a node should forward every one of them unconsolidated.
 */
public final class HealthyScenario implements Scenario {

  public static final String NAME = "healthy";
  public static final int DEFAULT_HUBS = 500;
  static final int MAX_SAME_CODE_PER_HUB = 2;
  static final int MAX_ALERTS_PER_HUB = 4;
  private static final int OPEN_HUBS = 32;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return DEFAULT_HUBS + " x scale hubs, 1 to " + MAX_ALERTS_PER_HUB + " alerts each, at most "
      + MAX_SAME_CODE_PER_HUB + " of a code per hub (nothing to consolidate)";
  }

  @Override
  public MessageSource open(ScenarioContext context) {
    AlertFactory factory = new AlertFactory(context);
    SplittableRandom random = factory.random();
    int hubs = context.scaled(DEFAULT_HUBS);
    // Sizes are drawn first so the total is known before any message exists.
    int[] alertsPerHub = new int[hubs];
    long total = 0;
    for (int i = 0; i < hubs; i++) {
      alertsPerHub[i] = 1 + random.nextInt(MAX_ALERTS_PER_HUB);
      total += alertsPerHub[i];
    }
    Iterator<MessageSource> hubParts = new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < hubs;
      }

      @Override
      public MessageSource next() {
        return hub(factory, alertsPerHub[next++]);
      }
    };
    return Interleave.pooled(random.split(), total, OPEN_HUBS, hubParts);
  }

  /** One hub's alerts, single messages on its own topic. */
  private static MessageSource hub(AlertFactory factory, int alerts) {
    String hubId = factory.newHubId();
    List<String> codes = codesForHub(factory, alerts);
    Map<String, SimDevice> devices = new HashMap<>();
    Iterator<String> it = codes.iterator();
    return MessageSource.generated(alerts, () -> {
      String code = it.next();
      SimDevice device = devices.computeIfAbsent(AlertCodes.BACKGROUND.get(code), factory::newDevice);
      JsonObject alert = factory.alert(hubId, device, code);
      return new MessageBuilder().add(alert, MessageBuilder.Expect.ACCEPT, code).single(Kinds.VALID, hubId);
    });
  }

  private static List<String> codesForHub(AlertFactory factory, int alerts) {
    Map<String, Integer> used = new HashMap<>();
    List<String> codes = new ArrayList<>(alerts);
    while (codes.size() < alerts) {
      String code = factory.pick(AlertCodes.BACKGROUND_CODES);
      if (used.merge(code, 1, Integer::sum) <= MAX_SAME_CODE_PER_HUB) {
        codes.add(code);
      }
    }
    return codes;
  }
}
