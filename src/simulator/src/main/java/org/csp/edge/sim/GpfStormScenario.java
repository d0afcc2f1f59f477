package org.csp.edge.sim;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One hub whose gas proxy function, running a faulty firmware, repeats 8F3E over and over: the storm a
 * node must consolidate into summaries. A few other devices on the same hub keep raising ordinary alerts,
 * which must not be swallowed by the storm.
 */
public final class GpfStormScenario implements Scenario {

  public static final String NAME = "gpf-8f3e";
  public static final int DEFAULT_GPF_ALERTS = 2000;
  /** One GPF alert in {@value #BATCH_EVERY} goes out in a per-hub array of {@value #BATCH_SIZE}. */
  static final int BATCH_SIZE = 5;
  static final int BATCH_EVERY = 4;
  static final String FAULTY_FIRMWARE = "4.1.7-faulty";
  static final JsonObject FAULTY_DMC = AlertFactory.dmc("Gridwise", "GPF-200", FAULTY_FIRMWARE);
  /** The hub's other devices and the codes they raise (two each). */
  private static final List<List<String>> OTHERS = List.of(
    List.of("ESME", "8F0A", "8F1C"), List.of("GSME", "8F36", "8F3F"), List.of("CHF", "8F01", "8F0F"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "one hub, its GPF (firmware " + FAULTY_FIRMWARE + ") repeating 8F3E " + DEFAULT_GPF_ALERTS
      + " x scale times, plus 6 ordinary alerts from 3 other devices";
  }

  @Override
  public MessageSource open(ScenarioContext context) {
    AlertFactory factory = new AlertFactory(context);
    String hubId = factory.newHubId();
    // Above Long.MAX_VALUE on purpose: the storm must not trip over unsigned counters.
    SimDevice gpf = factory.newDevice("GPF", FAULTY_DMC, Long.MIN_VALUE + factory.random().nextLong(1L << 40));
    int gpfAlerts = context.scaled(DEFAULT_GPF_ALERTS);
    int batches = gpfAlerts / (BATCH_SIZE * BATCH_EVERY);
    int singles = gpfAlerts - batches * BATCH_SIZE;

    MessageSource singleGpf = MessageSource.generated(singles, () -> new MessageBuilder()
      .add(gpfAlert(factory, hubId, gpf), MessageBuilder.Expect.ACCEPT, AlertCodes.GPF_FAULT)
      .single(Kinds.VALID, hubId));
    MessageSource batchedGpf = MessageSource.generated(batches, () -> {
      MessageBuilder batch = new MessageBuilder();
      for (int i = 0; i < BATCH_SIZE; i++) {
        batch.add(gpfAlert(factory, hubId, gpf), MessageBuilder.Expect.ACCEPT, AlertCodes.GPF_FAULT);
      }
      return batch.batch(Kinds.VALID_BATCH, hubId, context.batchFormat());
    });
    List<SimDevice> otherDevices = OTHERS.stream().map(spec -> factory.newDevice(spec.get(0))).toList();
    int[] nextOther = {0};
    MessageSource others = MessageSource.generated(OTHERS.size() * 2L, () -> {
      int index = nextOther[0]++;
      String code = OTHERS.get(index / 2).get(1 + index % 2);
      return new MessageBuilder()
        .add(factory.alert(hubId, otherDevices.get(index / 2), code), MessageBuilder.Expect.ACCEPT, code)
        .single(Kinds.VALID, hubId);
    });
    return Interleave.weighted(factory.random().split(), List.of(singleGpf, batchedGpf, others));
  }

  /** The GPF always reports its model combination: that is how the faulty firmware is seen. */
  private static JsonObject gpfAlert(AlertFactory factory, String hubId, SimDevice gpf) {
    return factory.alert(hubId, gpf, AlertCodes.GPF_FAULT).put("dmc", FAULTY_DMC.copy());
  }
}
