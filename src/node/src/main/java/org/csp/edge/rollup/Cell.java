package org.csp.edge.rollup;

import org.apache.datasketches.hll.HllSketch;

/** A cell's count and distinct hubs and devices. Updated by every intake thread: guarded by its own lock. */
final class Cell {
  private long count;
  private final HllSketch hubs;
  private final HllSketch devices;

  Cell(Sketches sketches) {
    this.hubs = sketches.newDistinct();
    this.devices = sketches.newDistinct();
  }

  synchronized void add(String hub, String device) {
    count++;
    if (hub != null) hubs.update(hub);
    if (device != null) devices.update(device);
  }

  /** {@code alerts} alerts that were never read: no hub or device to count among the distinct ones. */
  synchronized void addUnread(long alerts) {
    count += alerts;
  }

  /** A mark: the hub and device are counted among the distinct ones, no alert is. */
  synchronized void mark(String hub, String device) {
    if (hub != null) hubs.update(hub);
    if (device != null) devices.update(device);
  }

  /** Adds this cell's figures to a merged cell, under the cell's lock (the intake threads go on meanwhile). */
  synchronized void addTo(Merged<CellKey>.Acc acc) {
    acc.add(count, hubs, devices);
  }

}
