package org.csp.edge.decision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A summary's device list, bounded (wire format rev 2, "Bounded summaries"): the {@code max} devices with the most
 * alerts (ties by device id, so the same period always folds alike), the others folded into a count of devices and
 * a count of alerts.
 */
record SummaryDevices(Map<String, StormEvent.DeviceCount> listed, int otherDevices, int otherCount) {
  private static final Comparator<Map.Entry<String, StormEvent.DeviceCount>> MOST_ALERTS_FIRST =
      Comparator.<Map.Entry<String, StormEvent.DeviceCount>>comparingInt(e -> -e.getValue().count())
          .thenComparing(Map.Entry::getKey);

  static SummaryDevices fold(Map<String, StormEvent.DeviceCount> devices, int max) {
    if (devices == null) return new SummaryDevices(Map.of(), 0, 0);
    if (devices.size() <= max) return new SummaryDevices(new TreeMap<>(devices), 0, 0);
    List<Map.Entry<String, StormEvent.DeviceCount>> ranked = new ArrayList<>(devices.entrySet());
    ranked.sort(MOST_ALERTS_FIRST);
    Map<String, StormEvent.DeviceCount> listed = new TreeMap<>();
    int otherCount = 0;
    for (int i = 0; i < ranked.size(); i++) {
      if (i < max) listed.put(ranked.get(i).getKey(), ranked.get(i).getValue());
      else otherCount += ranked.get(i).getValue().count();
    }
    return new SummaryDevices(listed, ranked.size() - max, otherCount);
  }
}
