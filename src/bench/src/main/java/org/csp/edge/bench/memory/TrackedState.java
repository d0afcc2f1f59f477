package org.csp.edge.bench.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;
import org.csp.edge.sim.Eui64Ids;

/**
 * What each hub of the measurement has sent, so what its state tracks. Every string is a fresh instance per alert,
 * as the parser makes them: a hub's state keeps its own copies of codes and ids, and that is part of its cost.
 */
enum TrackedState {
  /** One alert of one code from one device: the least a tracked hub and code costs. */
  ONE_CODE("one-code", 1),
  /**
   * The hub storms on one code: 12 alerts from two devices within the storm window (the threshold is 10), so a storm
   * is open with its summary period counting, and both devices' header counters are remembered.
   */
  STORM("storm", 12),
  /**
   * One alert of one code from one device, grouped into the region's open burst on the code: the hub's tracking as
   * in one-code plus its open group share (what the regional path records before the sweeper seals it), and the
   * owner's note that the hub has a share to seal. Needs a policy whose bursts can open ({@link MemoryCommand}).
   */
  GROUPED("grouped", 1);

  private static final String CODE = "8014";
  // Id spaces of their own (see Eui64Ids): the throughput bench's shapes use 0x10 to 0x51.
  private static final Eui64Ids HUBS = new Eui64Ids(0x60);
  private static final Eui64Ids DEVICES = new Eui64Ids(0x61);
  private static final Dmc DMC = new Dmc("Acme", "ESME-3", "2.1.0");

  final String cliName;
  final int alertsPerHub;

  TrackedState(String cliName, int alertsPerHub) {
    this.cliName = cliName;
    this.alertsPerHub = alertsPerHub;
  }

  static TrackedState byName(String name) {
    for (TrackedState s : values()) if (s.cliName.equals(name)) return s;
    throw new IllegalArgumentException("--state must be one-code, storm or grouped, got '" + name + "'");
  }

  /** The alerts hub number {@code index} sends, all at {@code now}, as one batch. */
  List<Alert> alerts(long index, long now) {
    String hub = HUBS.id(index);
    List<Alert> alerts = new ArrayList<>(alertsPerHub);
    for (int i = 0; i < alertsPerHub; i++) {
      int device = i % 2;
      long raisedAt = now - 1000 + i;
      alerts.add(new Alert(fresh(hub), DEVICES.id(2 * index + device), device == 0 ? fresh("ESME") : fresh("GPF"), fresh(CODE),
          1000L + i, Instant.ofEpochMilli(raisedAt).toString(), raisedAt,
          new Dmc(fresh(DMC.manufacturer()), fresh(DMC.model()), fresh(DMC.firmware())), null));
    }
    return alerts;
  }

  /** A copy with its own bytes ({@code new String(s)} would share them). */
  private static String fresh(String s) {
    return String.valueOf(s.toCharArray());
  }
}
