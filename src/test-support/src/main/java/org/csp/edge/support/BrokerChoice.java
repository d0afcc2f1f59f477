package org.csp.edge.support;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/** Which broker {@link DspBroker#create()} gives, said once per JVM so that a test run shows what it ran against. */
final class BrokerChoice {
  private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

  private BrokerChoice() {}

  static DspBroker create() {
    boolean mosquitto = Mosquitto.installed();
    if (ANNOUNCED.compareAndSet(false, true)) {
      System.out.println(mosquitto
          ? "test broker: " + Mosquitto.version() + " at " + Mosquitto.BINARY
          : "test broker: embedded (Moquette) — mosquitto not installed: " + Mosquitto.INSTALL);
    }
    try {
      return mosquitto ? new Mosquitto() : new EmbeddedDspBroker();
    } catch (IOException e) {
      throw new IllegalStateException("cannot set up the test broker: " + e.getMessage(), e);
    }
  }
}
