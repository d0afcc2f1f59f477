package org.csp.edge.consolidation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hubs that are in storm on some code, with when each next needs settling (a summary or a release check),
 * so the sweeper visits only those instead of every hub in the map.
 */
public final class StormRegistry {
  /** Identity matters: a settle may only unregister the very entry it looked at, not a newer one. */
  private static final class Due {
    final long at;

    Due(long at) {
      this.at = at;
    }
  }

  private final Map<String, Due> hubs = new ConcurrentHashMap<>();

  /** Records what an operation on the hub said. A "not storming" answer may be stale, so only settling removes. */
  void update(String hubId, HubVerdicts verdicts) {
    if (verdicts.storming()) hubs.put(hubId, new Due(verdicts.nextDueAt()));
  }

  /** The hubs due by {@code now} (or all, with {@code all}), each with a token for {@link #settled}. */
  List<Map.Entry<String, Object>> due(long now, boolean all) {
    List<Map.Entry<String, Object>> out = new ArrayList<>();
    hubs.forEach((hub, due) -> {
      if (all || due.at <= now) out.add(Map.entry(hub, due));
    });
    return out;
  }

  void settled(String hubId, Object token, HubVerdicts verdicts) {
    if (verdicts.storming()) hubs.replace(hubId, (Due) token, new Due(verdicts.nextDueAt()));
    else hubs.remove(hubId, token);
  }

  public int size() {
    return hubs.size();
  }
}
