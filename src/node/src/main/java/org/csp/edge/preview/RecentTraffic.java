package org.csp.edge.preview;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.csp.edge.alert.Alert;

/**
 * A bounded record of the alerts this member decided over the last {@code window}, kept so that a proposed policy
 * can be tried on them ({@link PolicyPreview}). The window is cut into {@code slices} of equal length, each holding
 * at most {@code recordSize / slices} alerts: past that a slice keeps a uniform sample of what arrived in it
 * (reservoir sampling), and remembers how many arrived, so the preview can state the fraction it replayed. A slice
 * older than the window is reused for the next one, so the record never grows.
 *
 * <p>Recording is on the intake's path: an append under the lock of one slice, and one small copy of the alert
 * without its payload (decisions never read it).
 */
public final class RecentTraffic {
  private final long sliceMillis;
  private final Slice[] slices;
  private final int perSlice;

  public RecentTraffic(int recordSize, long windowMillis, int sliceCount) {
    if (sliceCount < 1 || recordSize < sliceCount || windowMillis < sliceCount) {
      throw new IllegalArgumentException("recordSize and window must be at least the number of slices");
    }
    this.sliceMillis = windowMillis / sliceCount;
    this.perSlice = recordSize / sliceCount;
    this.slices = new Slice[sliceCount];
    for (int i = 0; i < sliceCount; i++) slices[i] = new Slice();
  }

  /** Records alerts decided at {@code now}. */
  public void record(List<Alert> alerts, long now) {
    long index = Math.floorDiv(now, sliceMillis);
    Slice s = slices[(int) Math.floorMod(index, (long) slices.length)];
    synchronized (s) {
      if (s.index != index) s.restart(index);
      for (Alert a : alerts) s.offer(slim(a), now, perSlice);
    }
  }

  /** What the record holds of {@code [now - window, now]}, in arrival order. */
  public Snapshot snapshot(long now) {
    long newest = Math.floorDiv(now, sliceMillis);
    long oldest = newest - slices.length + 1;
    List<Recorded> alerts = new ArrayList<>();
    long seen = 0;
    long from = Long.MAX_VALUE;
    for (Slice s : slices) {
      synchronized (s) {
        if (s.index < oldest || s.index > newest || s.seen == 0) continue;
        seen += s.seen;
        from = Math.min(from, s.index * sliceMillis);
        for (int i = 0; i < s.kept; i++) alerts.add(new Recorded(s.alerts[i], s.at[i]));
      }
    }
    alerts.sort((a, b) -> Long.compare(a.at(), b.at()));
    return new Snapshot(alerts, seen, from == Long.MAX_VALUE ? now : from, now);
  }

  /** The alert as decisions need it: everything but the payload. */
  private static Alert slim(Alert a) {
    return new Alert(a.hubId(), a.deviceId(), a.deviceType(), a.alertCode(), a.originatorCounter(), a.raisedAt(),
        a.raisedAtMillis(), a.dmc(), "");
  }

  /** One alert of the record and when it arrived. */
  public record Recorded(Alert alert, long at) {}

  /**
   * The record's alerts from {@code from} to {@code to}, and how many arrived ({@code seen}): the replay is of a
   * uniform sample when {@code alerts.size() < seen}.
   */
  public record Snapshot(List<Recorded> alerts, long seen, long from, long to) {
    public double sampled() {
      return seen == 0 ? 1.0 : (double) alerts.size() / seen;
    }
  }

  private static final class Slice {
    long index = Long.MIN_VALUE;
    long seen;
    int kept;
    Alert[] alerts = new Alert[0];
    long[] at = new long[0];

    void restart(long index) {
      this.index = index;
      seen = 0;
      java.util.Arrays.fill(alerts, 0, kept, null);
      kept = 0;
    }

    void offer(Alert a, long now, int capacity) {
      seen++;
      if (kept < capacity) {
        if (kept == alerts.length) grow(capacity);
        alerts[kept] = a;
        at[kept] = now;
        kept++;
        return;
      }
      long j = ThreadLocalRandom.current().nextLong(seen);
      if (j < capacity) {
        alerts[(int) j] = a;
        at[(int) j] = now;
      }
    }

    /** Grows by doubling up to its capacity, so a quiet member does not hold the whole record's arrays. */
    private void grow(int capacity) {
      int size = Math.min(capacity, Math.max(16, alerts.length * 2));
      alerts = java.util.Arrays.copyOf(alerts, size);
      at = java.util.Arrays.copyOf(at, size);
    }
  }
}
