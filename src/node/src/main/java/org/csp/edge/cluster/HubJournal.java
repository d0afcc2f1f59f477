package org.csp.edge.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import java.util.HashMap;
import java.util.Map;
import org.csp.edge.decision.HubState;
import org.csp.edge.durability.Journal;
import org.csp.edge.durability.JournalRecord.Family;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the member's operations change, written to its {@link Journal} before their result goes back: a hub's state
 * after every operation on it (as owner and as backup, so each copy is on its member's disk), a hub forgotten, a
 * group record made or deleted. Images are the Compact form with its schemas ({@code toDataWithSchema}), the same
 * evolution rule as the cluster's state (org.csp.edge.cluster.state), so a later release reads an older journal.
 */
public final class HubJournal {
  private static final Logger log = LoggerFactory.getLogger(HubJournal.class);

  private final Journal journal;
  private final SerializationService serialization;

  public HubJournal(Journal journal, HazelcastInstance member) {
    this.journal = journal;
    this.serialization = ((SerializationServiceSupport) member).getSerializationService();
  }

  boolean on() {
    return journal.on();
  }

  void hubChanged(String hubId, HubState state) {
    if (journal.on()) journal.put(Family.HUB, hubId, image(state));
  }

  void hubForgotten(String hubId) {
    journal.remove(Family.HUB, hubId);
  }

  void groupRecorded(SealedGroup record) {
    if (journal.on()) journal.put(Family.GROUP, record.groupId(), image(record));
  }

  void groupDeleted(String groupId) {
    journal.remove(Family.GROUP, groupId);
  }

  private byte[] image(Object value) {
    Data data = serialization.toDataWithSchema(value);
    return data.toByteArray();
  }

  private <T> T restored(byte[] image) {
    return serialization.toObject(new HeapData(image));
  }

  /**
   * Puts back what the journal held when it was opened: the hubs' states and the group records. Called before the
   * intakes open, on a member that is alone (a cluster that was down whole); the sweeper's first re-index then finds
   * what the hubs need (summaries, events to publish again, groups to finish or unseal). Returns the hubs restored.
   */
  public int restore(HubStateStore hubs, HazelcastInstance member) {
    Map<String, HubState> states = new HashMap<>();
    journal.recovered().of(Family.HUB).forEach((hub, image) -> states.put(hub, restored(image)));
    Map<String, SealedGroup> groups = new HashMap<>();
    journal.recovered().of(Family.GROUP).forEach((id, image) -> groups.put(id, restored(image)));
    hubs.restore(states);
    IMap<String, SealedGroup> seals = member.getMap(SealedGroup.MAP_NAME);
    seals.putAll(groups);
    // The restored images go into this run's journal, so that it alone holds everything (compaction, a second crash).
    states.forEach(this::hubChanged);
    groups.values().forEach(this::groupRecorded);
    if (!states.isEmpty() || !groups.isEmpty()) {
      log.info("journal: {} hubs and {} group records restored ({} records read, {} bytes of a cut tail skipped)",
          states.size(), groups.size(), journal.recovered().records(), journal.recovered().cutBytes());
    }
    return states.size();
  }
}
