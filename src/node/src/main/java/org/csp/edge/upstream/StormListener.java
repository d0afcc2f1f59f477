package org.csp.edge.upstream;

/**
 * Told of every storm-start and storm-end queued on this member (a hub's or a region's), with its event id, so that
 * a repeat of the same event can be told apart: the digests count storms per code and period this way.
 */
public interface StormListener {
  StormListener NONE = (eventId, alertCode, started, at) -> {};

  /** @param at when the storm started (storm-start) or ended (storm-end), epoch millis */
  void storm(String eventId, String alertCode, boolean started, long at);
}
