package org.csp.edge.decision;

import java.util.ArrayList;
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
 * shared counter. The burst's start and end notices are this member's (their ids name the node). In baseline mode
 * ({@link RegionalDetection}, the default) each member also learns the background of the hubs it owns, per code,
 * and a burst must rise well above it: the background is this member's, never shared.
 *
 * <p>Called from Hazelcast's partition threads (as the {@link RegionalGate} of hub operations) and the sweeper.
 */
public final class RegionalBursts implements RegionalGate {
  private final Map<String, CodeBurst> codes = new HashMap<>();
  private final IntSupplier members;
  private volatile Consumer<RegionalEvent> notices = e -> {};
  /** The first time this detector was asked: its warm-up is measured from there. */
  private long firstAsked = Long.MIN_VALUE;
  /** Started from backgrounds learned elsewhere ({@link #seed}): no warm-up. */
  private boolean seeded;

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
      boolean warmingUp = warmingUp(now, policy);
      CodeBurst burst = codes.computeIfAbsent(alertCode, CodeBurst::new);
      ended = burst.settle(now, policy, warmingUp, share(policy.regionalRelease()));
      started = burst.offer(now, policy, warmingUp, share(policy.regionalThreshold()));
      grouped = burst.active();
    }
    // Outside the lock: the notices go to the publisher's outbox.
    if (ended != null) notices.accept(ended);
    if (started != null) notices.accept(started);
    return grouped;
  }

  /**
   * Whether the region bursts on the code at {@code now} (a burst that went quiet ends first). Counts nothing toward
   * the burst's rate; a yes puts the asking hub's alert in the region's group, so it counts in the burst's total.
   */
  public boolean bursting(String alertCode, long now, CodePolicy policy) {
    RegionalEvent ended;
    boolean active;
    synchronized (this) {
      CodeBurst burst = codes.get(alertCode);
      if (burst == null) return false;
      ended = burst.settle(now, policy, warmingUp(now, policy), share(policy.regionalRelease()));
      active = burst.active();
      if (active) burst.totalGrouped++;
    }
    if (ended != null) notices.accept(ended);
    return active;
  }

  /** Ends the bursts that went quiet and forgets idle codes. */
  public void settle(long now, AlertPolicy policy, List<RegionalEvent> out) {
    synchronized (this) {
      codes.values().removeIf(burst -> {
        CodePolicy p = policy.forCode(burst.alertCode);
        RegionalEvent ended = burst.settle(now, p, warmingUp(now, p), share(p.regionalRelease()));
        if (ended != null) out.add(ended);
        return burst.idle(now, p);
      });
    }
  }

  /**
   * Ends every burst open here at {@code now}, each with what this member grouped in it: a member that stops ends
   * its own bursts, since their notices name it and no other member would ever end them.
   */
  public void endAll(long now) {
    List<RegionalEvent> ended = new ArrayList<>();
    synchronized (this) {
      for (CodeBurst burst : codes.values()) {
        if (!burst.active()) continue;
        burst.endStorm();
        ended.add(new RegionalEvent.Ended(burst.alertCode, burst.startedAt, now, burst.totalGrouped));
      }
    }
    ended.forEach(notices); // outside the lock, as the other notices
  }

  /** Per code bursting here: when its burst started and what this member has grouped in it so far. */
  public synchronized Map<String, long[]> openTotals() {
    Map<String, long[]> out = new HashMap<>();
    for (CodeBurst b : codes.values()) if (b.active()) out.put(b.alertCode, new long[] {b.startedAt, b.totalGrouped});
    return out;
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

  /** The learned background of the code on this member, alerts per regional window (0 when none). */
  public synchronized double background(String alertCode) {
    CodeBurst b = codes.get(alertCode);
    return b == null ? 0 : b.background.background();
  }

  /**
   * The backgrounds this member has learned, per code (alerts per regional window), for a member that starts later
   * ({@link #seed}); null while it still warms up (what it has is not a background yet).
   */
  public synchronized Map<String, Double> learned(long now, AlertPolicy policy) {
    // Nothing decided yet is no knowledge of the region either: only a member past its warm-up speaks for it.
    if (!seeded && (firstAsked == Long.MIN_VALUE || warmingUp(now, policy.defaults()))) return null;
    Map<String, Double> out = new HashMap<>();
    for (CodeBurst b : codes.values()) {
      if (policy.forCode(b.alertCode).regional().baseline()) out.put(b.alertCode, b.background.background());
    }
    return out;
  }

  /**
   * Starts from backgrounds learned elsewhere, per code in alerts per regional window, instead of warming up: a
   * member that joins during a storm, or a node restarted in one, would otherwise learn the storm as the background
   * and forward it for as long as it lasts. Called before the first alert.
   */
  public synchronized void seed(Map<String, Double> perWindow) {
    perWindow.forEach((code, background) -> codes.computeIfAbsent(code, CodeBurst::new).background.seed(background));
    seeded = true;
  }

  @Override
  public synchronized boolean learning(long now, CodePolicy policy) {
    return policy.regional().baseline() && warmingUp(now, policy);
  }

  /** Whether this member is still only learning backgrounds (baseline mode, its first {@code regionalWarmUp}). */
  private boolean warmingUp(long now, CodePolicy policy) {
    if (seeded) return false;
    if (firstAsked == Long.MIN_VALUE) firstAsked = now;
    return now - firstAsked < policy.regional().warmUp().toMillis();
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
    final CodeBackground background = new CodeBackground();

    CodeBurst(String alertCode) {
      this.alertCode = alertCode;
    }

    boolean active() {
      return inStorm();
    }

    RegionalEvent offer(long now, CodePolicy policy, boolean warmingUp, int floor) {
      lastSeen = now;
      double estimate = record(now, policy.regionalWindow().toMillis());
      background.count();
      int threshold = startsAt(policy, warmingUp, floor);
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
        background.bursting();
      }
      return started;
    }

    /**
     * The count within the window that starts a burst: the floor, and in baseline mode also {@code factor} times the
     * background; never while the member warms up (it has no background yet).
     */
    private int startsAt(CodePolicy policy, boolean warmingUp, int floor) {
      RegionalDetection rules = policy.regional();
      if (!rules.baseline()) return floor;
      if (warmingUp) return Integer.MAX_VALUE;
      return atLeast(floor, rules.factor() * background.background());
    }

    /** The count within a whole window under which a burst ends: the floor, in baseline mode also the background's. */
    private int endsUnder(CodePolicy policy, int floor) {
      RegionalDetection rules = policy.regional();
      return rules.baseline() ? atLeast(floor, rules.releaseFactor() * background.background()) : floor;
    }

    private static int atLeast(int floor, double bar) {
      return (int) Math.max(floor, Math.min(Integer.MAX_VALUE, Math.ceil(bar)));
    }

    RegionalEvent settle(long now, CodePolicy policy, boolean warmingUp, int releaseFloor) {
      long window = policy.regionalWindow().toMillis();
      background.advance(now, window, policy.regional(), warmingUp, inStorm());
      while (quietWindowOver(now, window)) {
        long windowEnd = quietWindowEnd(window);
        if (closeQuietWindow(window, endsUnder(policy, releaseFloor))) {
          return new RegionalEvent.Ended(alertCode, startedAt, windowEnd, totalGrouped);
        }
      }
      return null;
    }

    /** Not bursting, not seen for two windows, and (baseline) its background faded under one alert per window. */
    boolean idle(long now, CodePolicy policy) {
      return !inStorm() && now - lastSeen > 2 * policy.regionalWindow().toMillis()
          && (!policy.regional().baseline() || background.background() < 1);
    }
  }
}
