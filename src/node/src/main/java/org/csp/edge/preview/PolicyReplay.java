package org.csp.edge.preview;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.ForwardedAlert;
import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.RegionalBursts;
import org.csp.edge.decision.RegionalEvent;
import org.csp.edge.decision.StormEvent;
import org.csp.edge.decision.Verdict;

/**
 * Decides recorded alerts again under one policy, from nothing: a fresh state per hub and a fresh regional burst
 * detector, each alert at the time it arrived, the hubs settled when their storms are due (as the sweeper does),
 * and every open period flushed at the end so that every alert replayed is accounted for. It runs the decision
 * package's own code, so what it counts is what the policy would have done with these alerts on this member;
 * silences are not replayed (they are not part of a policy).
 */
public final class PolicyReplay {
  /** How many alerts between two looks at the clock: a look per alert would cost more than the alert. */
  private static final int DEADLINE_CHECK_EVERY = 1024;

  private PolicyReplay() {}

  /** The replay ran past its time bound. */
  public static final class TooLong extends RuntimeException {
    TooLong(int replayed, int of) {
      super("the replay was stopped after " + replayed + " of " + of + " alerts: it ran past preview.timeout");
    }
  }

  /** What a policy did with the alerts: verdicts, events upstream by type, storms and regional bursts per code. */
  public record Outcome(Map<String, Long> verdicts, Map<String, Long> events, long alertsInSummaries,
      Map<String, Long> storms, Map<String, Long> regionalBursts) {}

  /**
   * Replays {@code alerts} (in arrival order) under {@code policy}, ending at {@code to}; {@code members} is the
   * cluster's size, as the live detector divides the regional threshold by it. Past {@code deadlineNanos}
   * ({@link System#nanoTime}) it stops with {@link TooLong}.
   */
  public static Outcome replay(List<RecentTraffic.Recorded> alerts, long to, AlertPolicy policy, int members,
      long deadlineNanos) {
    Counts counts = new Counts();
    Map<String, HubState> hubs = new HashMap<>();
    PriorityQueue<Due> due = new PriorityQueue<>();
    RegionalBursts regional = new RegionalBursts(() -> members);
    regional.noticesTo(counts::regional);
    long operation = 0;
    for (int i = 0; i < alerts.size(); i++) {
      if (i % DEADLINE_CHECK_EVERY == 0 && System.nanoTime() > deadlineNanos) throw new TooLong(i, alerts.size());
      RecentTraffic.Recorded r = alerts.get(i);
      settleDue(hubs, due, r.at(), policy, counts, deadlineNanos, i, alerts.size());
      String hubId = r.alert().hubId();
      HubState hub = hubs.computeIfAbsent(hubId, h -> new HubState());
      HubState.Outcome o = hub.apply(hubId, ++operation, List.of(r.alert()), r.at(), policy, regional);
      for (byte v : o.verdicts()) counts.verdict(Verdict.of(v));
      counts.events(hub, o.raised());
      schedule(due, hub, hubId, r.at(), policy);
    }
    settleDue(hubs, due, to, policy, counts, deadlineNanos, alerts.size(), alerts.size());
    // What is still open at the end (a storm's current period, a held period) is counted as if it were flushed.
    hubs.forEach((hubId, hub) -> counts.events(hub, hub.settle(hubId, to, policy, true)));
    List<RegionalEvent> ended = new ArrayList<>();
    regional.settle(to, policy, ended);
    ended.forEach(counts::regional);
    return counts.outcome();
  }

  /**
   * Settles every hub due by {@code until}. A short period (a summary every millisecond) makes a hub due many times
   * between two alerts, so the deadline is checked here too, not only between alerts.
   */
  private static void settleDue(Map<String, HubState> hubs, PriorityQueue<Due> due, long until, AlertPolicy policy,
      Counts counts, long deadlineNanos, int replayed, int of) {
    long settled = 0;
    while (!due.isEmpty() && due.peek().at() <= until) {
      if (++settled % DEADLINE_CHECK_EVERY == 0 && System.nanoTime() > deadlineNanos) throw new TooLong(replayed, of);
      Due d = due.poll();
      HubState hub = hubs.get(d.hubId());
      if (hub.nextDueAt(policy) != d.at()) continue; // rescheduled since: a later entry stands for it
      counts.events(hub, hub.settle(d.hubId(), d.at(), policy, false));
      schedule(due, hub, d.hubId(), d.at(), policy);
    }
  }

  private static void schedule(PriorityQueue<Due> due, HubState hub, String hubId, long now, AlertPolicy policy) {
    long at = hub.nextDueAt(policy);
    if (at != Long.MAX_VALUE) due.add(new Due(Math.max(at, now + 1), hubId));
  }

  private record Due(long at, String hubId) implements Comparable<Due> {
    @Override
    public int compareTo(Due o) {
      return Long.compare(at, o.at);
    }
  }

  /** The tallies of one replay; keys as the wire format names event types and as verdicts are named in /v1/status. */
  private static final class Counts {
    final Map<String, Long> verdicts = new TreeMap<>();
    final Map<String, Long> events = new TreeMap<>();
    final Map<String, Long> storms = new TreeMap<>();
    final Map<String, Long> regionalBursts = new TreeMap<>();
    long alertsInSummaries;

    void verdict(Verdict v) {
      verdicts.merge(v.name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
    }

    /** Counts what a hub raised, then forgets it as if the broker had acknowledged it (the record stays bounded). */
    void events(HubState hub, List<HubEvent> raised) {
      if (raised.isEmpty()) return;
      Set<String> ids = new HashSet<>();
      for (HubEvent e : raised) {
        ids.add(e.eventId());
        if (e instanceof ForwardedAlert) {
          add(events, "alert");
        } else if (e instanceof StormEvent.Started s) {
          add(events, "storm-start");
          add(storms, s.alertCode());
        } else if (e instanceof StormEvent.Summary s) {
          add(events, "summary");
          alertsInSummaries += s.count();
        } else if (e instanceof StormEvent.Ended) {
          add(events, "storm-end");
        }
      }
      hub.delivered(ids);
    }

    void regional(RegionalEvent e) {
      if (e instanceof RegionalEvent.Started s) {
        add(events, "regional-storm-start");
        add(regionalBursts, s.alertCode());
      } else if (e instanceof RegionalEvent.Ended) {
        add(events, "regional-storm-end");
      }
    }

    private static void add(Map<String, Long> m, String key) {
      m.merge(key, 1L, Long::sum);
    }

    Outcome outcome() {
      return new Outcome(verdicts, events, alertsInSummaries, storms, regionalBursts);
    }
  }
}
