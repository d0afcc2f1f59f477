package org.csp.edge.decision;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Spots one code arriving from many hubs at once (the burst after a power restoration): while a code bursts, the
 * alerts that their hub's own state lets through go into group shares instead of upstream singly. It sees only
 * those alerts, so it measures the breadth of a burst, not one chatty hub.
 *
 * <p>Each member measures the hubs it owns, against its share of the regional threshold (threshold / members):
 * with hubs spread evenly the members together trip at the regional rate, without a round trip per alert to a
 * shared counter. The burst's start and end notices are this member's (their ids name the node).
 *
 * <p>Called from Hazelcast's partition threads (as the {@link RegionalGate} of hub operations) and the sweeper.
 */
public final class RegionalBursts implements RegionalGate {
  private final Map<String, CodeBurst> codes = new HashMap<>();
  private final IntSupplier members;
  private volatile Consumer<RegionalEvent> notices = e -> {};

  public RegionalBursts(IntSupplier members) {
    this.members = members;
  }

  public void noticesTo(Consumer<RegionalEvent> notices) {
    this.notices = notices;
  }

  @Override
  public boolean group(String alertCode, String hubId, long now, CodePolicy policy) {
    RegionalEvent ended;
    RegionalEvent started;
    boolean grouped;
    synchronized (this) {
      CodeBurst burst = codes.computeIfAbsent(alertCode, CodeBurst::new);
      ended = burst.settle(now, policy, share(policy.regionalRelease()));
      started = burst.offer(now, policy, share(policy.regionalThreshold()));
      grouped = burst.active();
    }
    // Outside the lock: the notices go to the publisher's outbox.
    if (ended != null) notices.accept(ended);
    if (started != null) notices.accept(started);
    return grouped;
  }

  /** Whether the region bursts on the code at {@code now} (a burst that went quiet ends first); counts nothing. */
  public boolean bursting(String alertCode, long now, CodePolicy policy) {
    RegionalEvent ended;
    boolean active;
    synchronized (this) {
      CodeBurst burst = codes.get(alertCode);
      if (burst == null) return false;
      ended = burst.settle(now, policy, share(policy.regionalRelease()));
      active = burst.active();
    }
    if (ended != null) notices.accept(ended);
    return active;
  }

  /** Ends the bursts that went quiet and forgets idle codes. */
  public void settle(long now, AlertPolicy policy, List<RegionalEvent> out) {
    synchronized (this) {
      codes.values().removeIf(burst -> {
        CodePolicy p = policy.forCode(burst.alertCode);
        RegionalEvent ended = burst.settle(now, p, share(p.regionalRelease()));
        if (ended != null) out.add(ended);
        return burst.idle(now, p);
      });
    }
  }

  public synchronized int bursting() {
    int n = 0;
    for (CodeBurst b : codes.values()) if (b.active()) n++;
    return n;
  }

  /** The codes bursting here now, each with when its burst started (epoch millis), for the console's live page. */
  public synchronized Map<String, Long> burstingCodes() {
    Map<String, Long> out = new HashMap<>();
    for (CodeBurst b : codes.values()) if (b.active()) out.put(b.alertCode, b.startedAt);
    return out;
  }

  /** When the burst on {@code alertCode} started here, or {@code otherwise} when it is not bursting here. */
  public synchronized long startedAt(String alertCode, long otherwise) {
    CodeBurst b = codes.get(alertCode);
    return b != null && b.active() ? b.startedAt : otherwise;
  }

  /** This member's share of a regional figure, never below 1. */
  private int share(int regional) {
    return Math.max(1, (regional + members.getAsInt() - 1) / members.getAsInt());
  }

  /** One code's burst on this member: the storm rule of {@link StormWindow}, over the region's window. */
  private static final class CodeBurst extends StormWindow {
    final String alertCode;
    long lastSeen;
    long startedAt;
    long totalGrouped;

    CodeBurst(String alertCode) {
      this.alertCode = alertCode;
    }

    boolean active() {
      return inStorm();
    }

    RegionalEvent offer(long now, CodePolicy policy, int threshold) {
      lastSeen = now;
      double estimate = record(now, policy.regionalWindow().toMillis());
      RegionalEvent started = null;
      if (starts(estimate, threshold)) {
        startStorm(now);
        startedAt = now;
        totalGrouped = 0;
        started = new RegionalEvent.Started(alertCode, now, Math.round(estimate * 100) / 100.0, threshold,
            policy.regionalWindow().toMillis());
      }
      if (inStorm()) {
        totalGrouped++;
        countInStorm();
      }
      return started;
    }

    RegionalEvent settle(long now, CodePolicy policy, int release) {
      long window = policy.regionalWindow().toMillis();
      while (quietWindowOver(now, window)) {
        long windowEnd = quietWindowEnd(window);
        if (closeQuietWindow(window, release)) return new RegionalEvent.Ended(alertCode, startedAt, windowEnd, totalGrouped);
      }
      return null;
    }

    boolean idle(long now, CodePolicy policy) {
      return !inStorm() && now - lastSeen > 2 * policy.regionalWindow().toMillis();
    }
  }
}
