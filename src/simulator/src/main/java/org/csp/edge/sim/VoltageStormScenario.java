package org.csp.edge.sim;

import io.vertx.core.json.JsonObject;

import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * A DNO voltage storm: the electricity meters of many hubs repeat the under- and over-voltage codes
 * (8014, 8015) many times each while the network is disturbed.
 */
public final class VoltageStormScenario implements Scenario {

  public static final String NAME = "voltage";
  public static final int DEFAULT_HUBS = 40;
  public static final int REPEATS_PER_CODE = 150;
  private static final int OPEN_HUBS = 256;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return DEFAULT_HUBS + " x scale hubs, each repeating " + AlertCodes.VOLTAGE_LOW + " and " + AlertCodes.VOLTAGE_HIGH
      + " " + REPEATS_PER_CODE + " times";
  }

  @Override
  public MessageSource open(ScenarioContext context) {
    AlertFactory factory = new AlertFactory(context);
    int hubs = context.scaled(DEFAULT_HUBS);
    Iterator<MessageSource> hubParts = new Iterator<>() {
      private int opened;

      @Override
      public boolean hasNext() {
        return opened < hubs;
      }

      @Override
      public MessageSource next() {
        opened++;
        return hub(factory);
      }
    };
    SplittableRandom order = factory.random().split();
    return Interleave.pooled(order, (long) hubs * 2 * REPEATS_PER_CODE, OPEN_HUBS, hubParts);
  }

  /** One hub's meter, raising both codes in a random order. */
  private static MessageSource hub(AlertFactory factory) {
    String hubId = factory.newHubId();
    SimDevice esme = factory.newDevice("ESME");
    int[] left = {REPEATS_PER_CODE, REPEATS_PER_CODE};
    return MessageSource.generated(2L * REPEATS_PER_CODE, () -> {
      int which = factory.random().nextInt(left[0] + left[1]) < left[0] ? 0 : 1;
      left[which]--;
      String code = which == 0 ? AlertCodes.VOLTAGE_LOW : AlertCodes.VOLTAGE_HIGH;
      JsonObject alert = factory.alert(hubId, esme, code);
      return new MessageBuilder().add(alert, MessageBuilder.Expect.ACCEPT, code).single(Kinds.VALID, hubId);
    });
  }
}
