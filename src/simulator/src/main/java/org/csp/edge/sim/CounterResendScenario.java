package org.csp.edge.sim;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Electricity meters that resend the same header (same deviceId and originatorCounter) several times,
 * among ordinary traffic. The node must count every repeat as a duplicate and forward the alert once.
 * Each resend carries exactly the bytes of the original.
 */
public final class CounterResendScenario implements Scenario {

  public static final String NAME = "counter-resend";
  public static final int DEFAULT_NORMAL_HUBS = 20;
  public static final int NORMAL_ALERTS_PER_HUB = 10;
  public static final int DEFAULT_RESENDING_METERS = 5;
  /** Distinct headers each resending meter raises, and how many times each is sent again. */
  public static final int HEADERS_PER_METER = 4;
  public static final int RESENDS_PER_HEADER = 3;
  private static final int OPEN_PARTS = 64;
  private static final String RESENT_CODE = "8F0A";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return DEFAULT_RESENDING_METERS + " x scale meters each resending " + HEADERS_PER_METER + " headers "
      + RESENDS_PER_HEADER + " times (plus one repeat inside a batch), among " + DEFAULT_NORMAL_HUBS * NORMAL_ALERTS_PER_HUB
      + " x scale ordinary alerts";
  }

  /** Messages one resending meter sends: each header, its repeats, and a batch holding a header twice. */
  static int messagesPerMeter() {
    return HEADERS_PER_METER * (1 + RESENDS_PER_HEADER) + 1;
  }

  @Override
  public MessageSource open(ScenarioContext context) {
    AlertFactory factory = new AlertFactory(context);
    int normalHubs = context.scaled(DEFAULT_NORMAL_HUBS);
    int meters = context.scaled(DEFAULT_RESENDING_METERS);
    long total = (long) normalHubs * NORMAL_ALERTS_PER_HUB + (long) meters * messagesPerMeter();
    // Meters are spread evenly among the ordinary hubs rather than all opened first or last.
    int partCount = normalHubs + meters;
    boolean[] isMeter = new boolean[partCount];
    for (int j = 0; j < meters; j++) {
      isMeter[(int) ((2L * j + 1) * partCount / (2L * meters))] = true;
    }
    Iterator<MessageSource> parts = new Iterator<>() {
      private int opened;

      @Override
      public boolean hasNext() {
        return opened < partCount;
      }

      @Override
      public MessageSource next() {
        return isMeter[opened++] ? resendingMeter(factory, context) : normalHub(factory);
      }
    };
    return Interleave.pooled(factory.random().split(), total, OPEN_PARTS, parts);
  }

  private static MessageSource normalHub(AlertFactory factory) {
    String hubId = factory.newHubId();
    SimDevice esme = factory.newDevice("ESME");
    return MessageSource.generated(NORMAL_ALERTS_PER_HUB, () -> {
      String code = factory.pick(List.of("8F0A", "8F1C", "8F20"));
      return new MessageBuilder().add(factory.alert(hubId, esme, code), MessageBuilder.Expect.ACCEPT, code)
        .single(Kinds.VALID, hubId);
    });
  }

  /**
   * A meter's messages in an order where every repeat follows its original: originals go out in turn,
   * and after each the repeats already due are released a few at a time, in random order.
   */
  private static MessageSource resendingMeter(AlertFactory factory, ScenarioContext context) {
    String hubId = factory.newHubId();
    SimDevice esme = factory.newDevice("ESME");
    List<SimMessage> sequence = new ArrayList<>();
    List<SimMessage> due = new ArrayList<>();
    for (int h = 0; h < HEADERS_PER_METER; h++) {
      SimMessage original = new MessageBuilder()
        .add(factory.alert(hubId, esme, RESENT_CODE), MessageBuilder.Expect.ACCEPT, RESENT_CODE)
        .single(Kinds.VALID, hubId);
      sequence.add(original);
      for (int r = 0; r < RESENDS_PER_HEADER; r++) {
        due.add(new SimMessage(hubId, original.payload(), 1, Kinds.DUPLICATE_RESEND, original.byCode(), 0, 1,
          original.format()));
      }
      for (int release = factory.random().nextInt(3); release > 0 && !due.isEmpty(); release--) {
        sequence.add(due.remove(factory.random().nextInt(due.size())));
      }
    }
    while (!due.isEmpty()) {
      sequence.add(due.remove(factory.random().nextInt(due.size())));
    }
    JsonObject twice = factory.alert(hubId, esme, RESENT_CODE);
    sequence.add(new MessageBuilder()
      .add(twice, MessageBuilder.Expect.ACCEPT, RESENT_CODE)
      .add(twice.copy(), MessageBuilder.Expect.DUPLICATE, RESENT_CODE)
      .batch(Kinds.DUPLICATE_IN_BATCH, hubId, context.batchFormat()));
    return MessageSource.of(sequence);
  }
}
