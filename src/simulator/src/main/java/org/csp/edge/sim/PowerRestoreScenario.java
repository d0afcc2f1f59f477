package org.csp.edge.sim;

import java.util.List;

/**
 * A regional power-restore burst: one code, once, from each of many hubs, as fast as the transport
 * goes. No hub repeats itself; only a regional view sees the storm. Half the alerts go as single
 * messages, the rest as head-end batches mixing hubs (topic {@code alerts}, or a JSON array / NDJSON
 * body over HTTP).
 */
public final class PowerRestoreScenario implements Scenario {

  public static final String NAME = "power-restore";
  public static final String POWER_RESTORE_CODE = "8F12";
  public static final int DEFAULT_HUBS = 2000;
  public static final int HEAD_END_BATCH = 50;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return POWER_RESTORE_CODE + " once from each of " + DEFAULT_HUBS + " x scale hubs, half in head-end batches of "
      + HEAD_END_BATCH;
  }

  @Override
  public MessageSource open(ScenarioContext context) {
    AlertFactory factory = new AlertFactory(context);
    int hubs = context.scaled(DEFAULT_HUBS);
    int batches = hubs / 2 / HEAD_END_BATCH;
    int singles = hubs - batches * HEAD_END_BATCH;
    MessageSource single = MessageSource.generated(singles, () -> {
      String hubId = factory.newHubId();
      return new MessageBuilder()
        .add(factory.alert(hubId, factory.newDevice("ESME"), POWER_RESTORE_CODE), MessageBuilder.Expect.ACCEPT,
          POWER_RESTORE_CODE)
        .single(Kinds.VALID, hubId);
    });
    MessageSource headEnd = MessageSource.generated(batches, () -> {
      MessageBuilder batch = new MessageBuilder();
      for (int i = 0; i < HEAD_END_BATCH; i++) {
        String hubId = factory.newHubId();
        batch.add(factory.alert(hubId, factory.newDevice("ESME"), POWER_RESTORE_CODE), MessageBuilder.Expect.ACCEPT,
          POWER_RESTORE_CODE);
      }
      return batch.batch(Kinds.VALID_BATCH, null, context.batchFormat());
    });
    return Interleave.weighted(factory.random().split(), List.of(single, headEnd));
  }
}
