package org.csp.edge.cluster.state;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.csp.edge.alert.Alert;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubAttention;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.RegionalGate;
import org.csp.edge.decision.TestAlerts;

/**
 * Canonical text of what crosses members, independent of hash order and identity: records by their components,
 * other classes by their fields, maps and sets sorted. {@link #fields} writes a hub's state field by field (it must
 * come back exactly); {@link #described} writes it by what it does (its waiting events, what it needs from its
 * owner, and the answers of a fixed probe of alerts and settles), so that a later release whose hub state is laid
 * out differently still compares with the text an earlier release stored beside its sample.
 */
public final class StateText {
  /** The probe's policy: storm at 5 alerts within 10 s; released by fewer than 2 in 30 s; summary every 20 s. */
  private static final AlertPolicy PROBE_POLICY = new AlertPolicy(
      new org.csp.edge.decision.CodePolicy(org.csp.edge.decision.CodeMode.CONSOLIDATE, 5, java.time.Duration.ofSeconds(10), 2,
          java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(20), 200, java.time.Duration.ofSeconds(10), 50,
          java.time.Duration.ofSeconds(2)),
      Map.of(), java.time.Duration.ofSeconds(60), 8, 500, 100, 64, 64);
  private static final long NEVER_BEFORE = 1_700_000_000_000L;

  private StateText() {}

  /** The policy the probe decides under; scenarios that build hubs for it use it too. */
  public static AlertPolicy probePolicy() {
    return PROBE_POLICY;
  }

  public static String fields(Object o) {
    return text(o, false);
  }

  public static String described(Object o) {
    return text(o, true);
  }

  private static String text(Object o, boolean hubByBehaviour) {
    if (o == null) return "null";
    if (o instanceof String s) return '"' + s + '"';
    if (o instanceof Number || o instanceof Boolean || o instanceof Character || o instanceof Enum<?>) return o.toString();
    if (o instanceof byte[] b) return "0x" + HexFormat.of().formatHex(b);
    if (o instanceof boolean[] a) return java.util.Arrays.toString(a);
    if (o instanceof int[] a) return java.util.Arrays.toString(a);
    if (o instanceof long[] a) return java.util.Arrays.toString(a);
    if (o instanceof Object[] a) return text(java.util.Arrays.asList(a), hubByBehaviour);
    if (o instanceof Set<?> s) return s.stream().map(e -> text(e, hubByBehaviour)).sorted().collect(Collectors.joining(", ", "{", "}"));
    if (o instanceof Collection<?> c) return c.stream().map(e -> text(e, hubByBehaviour)).collect(Collectors.joining(", ", "[", "]"));
    if (o instanceof Map<?, ?> m) {
      Map<String, String> sorted = new TreeMap<>();
      m.forEach((k, v) -> sorted.put(text(k, hubByBehaviour), text(v, hubByBehaviour)));
      return sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}"));
    }
    if (o instanceof HubState hub && hubByBehaviour) return behaviour(hub);
    if (o.getClass().getName().startsWith("java.")) return o.toString(); // Duration and the like: their own text
    Class<?> type = o.getClass();
    List<String> parts = new ArrayList<>();
    if (type.isRecord()) {
      for (RecordComponent c : type.getRecordComponents()) parts.add(c.getName() + "=" + text(read(c, o), hubByBehaviour));
      return type.getSimpleName() + "(" + String.join(", ", parts) + ")";
    }
    for (Class<?> t = type; t != null && t != Object.class; t = t.getSuperclass()) {
      for (Field f : t.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers()) || f.isSynthetic()) continue;
        f.setAccessible(true);
        try {
          parts.add(f.getName() + "=" + text(f.get(o), hubByBehaviour));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return type.getSimpleName() + "{" + String.join(", ", parts) + "}";
  }

  private static Object read(RecordComponent c, Object o) {
    try {
      c.getAccessor().setAccessible(true);
      return c.getAccessor().invoke(o);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What the hub holds and needs, then what it answers to a fixed probe (which changes it: describe a copy). */
  private static String behaviour(HubState hub) {
    StringBuilder out = new StringBuilder("HubState:");
    long last = hub.lastAlertAt();
    out.append("\n  lastAlertAt=").append(last).append(", nextDueAt=").append(hub.nextDueAt(PROBE_POLICY));
    out.append("\n  waiting=").append(fields(hub.waiting()));
    HubAttention a = hub.attention(PROBE_POLICY);
    out.append("\n  attention=").append(a == null ? "none"
        : fields(List.of(a.settleAt(), a.eventsWaiting(), a.openShares(), a.sealedInto())));
    long now = Math.max(last, NEVER_BEFORE);
    String hubId = TestAlerts.HUB;
    for (int i = 0; i < 8; i++) {
      now += 1500;
      // Counters 1..4 come again (duplicates where remembered), then new ones; two codes, two devices.
      List<Alert> batch = List.of(
          TestAlerts.alert(hubId, i % 2 == 0 ? TestAlerts.GPF : TestAlerts.ESME, "8F3E", i < 4 ? i + 1 : 1000 + i, now),
          TestAlerts.alert(hubId, TestAlerts.GPF, "0001", 2000 + i, now));
      HubState.Outcome outcome = hub.apply(hubId, 5000 + i, batch, now, PROBE_POLICY, RegionalGate.NEVER);
      out.append("\n  probe ").append(i).append(": ").append(fields(outcome.verdicts())).append(" raised ")
          .append(fields(outcome.raised()));
    }
    for (long at = now; at <= now + 120_000; at += 30_000) {
      out.append("\n  settle +").append(at - now).append(": ").append(fields(hub.settle(hubId, at, PROBE_POLICY, false)));
    }
    out.append("\n  seal 0002: ").append(fields(hub.seal("0002", "probe-group", "probe")));
    out.append("\n  unseal group-1: ").append(hub.unseal("group-1"));
    out.append("\n  release group-2: ").append(hub.releaseSeal("group-2"));
    out.append("\n  after: ").append(fields(hub.waiting().size())).append(" waiting, lastAlertAt=").append(hub.lastAlertAt());
    return out.toString();
  }
}
