package org.csp.edge.rollup;

import org.apache.datasketches.frequencies.ItemsSketch;

/** The most frequent hubs and devices of one hour and alert code (bounded memory: frequent items). */
final class CodeTop {
  private final ItemsSketch<String> hubs;
  private final ItemsSketch<String> devices;

  CodeTop(Sketches sketches) {
    this.hubs = sketches.newTop();
    this.devices = sketches.newTop();
  }

  synchronized void add(String hub, String device) {
    hubs.update(hub);
    devices.update(device);
  }

  /** Merges both sketches into a flush's merge, under this sketch's lock, with no serialized form in between. */
  synchronized void addTo(Merged<CellKey> m, String alertCode) {
    m.addTop(alertCode + "|hubs", hubs);
    m.addTop(alertCode + "|devices", devices);
  }


}
