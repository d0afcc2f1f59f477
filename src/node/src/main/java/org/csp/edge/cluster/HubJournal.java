package org.csp.edge.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.internal.serialization.impl.compact.Schema;
import com.hazelcast.internal.serialization.impl.compact.SchemaService;
import com.hazelcast.map.IMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.csp.edge.decision.HubState;
import org.csp.edge.durability.Journal;
import org.csp.edge.durability.JournalRecord.Family;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the member's operations change, written to its {@link Journal} before their result goes back: a hub's state
 * after every operation that an acknowledgement stands for (as owner and as backup, so each copy is on its member's
 * disk), a hub forgotten, a group record made or deleted. Images are the Compact form of the cluster's state (the
 * same evolution rule, org.csp.edge.cluster.state), written by a serialization service of the journal's own: each
 * schema it meets is journaled once, before any image that uses it, so a later release reads an older journal. Not
 * the member's service: writing schemas into images there would leave the member believing the cluster knows them.
 */
public final class HubJournal {
  private static final Logger log = LoggerFactory.getLogger(HubJournal.class);

  private final Journal journal;
  private final InternalSerializationService images;
  private final Map<Long, Schema> schemas = new ConcurrentHashMap<>();

  public HubJournal(Journal journal) {
    this.journal = journal;
    this.images = serialization();
  }

  private InternalSerializationService serialization() {
    Config config = new Config();
    ClusterSerializers.register(config);
    SchemaService known = new SchemaService() {
      @Override
      public Schema get(long id) {
        return schemas.get(id);
      }

      @Override
      public void put(Schema schema) {
        putLocal(schema);
      }

      @Override
      public void putLocal(Schema schema) {
        // Called while the first image of a type is written, before the type's schema is cached for the next ones.
        if (schemas.putIfAbsent(schema.getSchemaId(), schema) == null && journal.on()) {
          journal.put(Family.SCHEMA, Long.toString(schema.getSchemaId()), images.toData(schema).toByteArray());
        }
      }
    };
    return (InternalSerializationService) new DefaultSerializationServiceBuilder()
        .setConfig(config.getSerializationConfig()).setSchemaService(known).build();
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
    return images.toData(value).toByteArray();
  }

  private <T> T restored(byte[] image) {
    return images.toObject(new HeapData(image));
  }

  /**
   * Puts back what the journal held when it was opened: the hubs' states and the group records. Called before the
   * intakes open, on a member that is alone (a cluster that was down whole); the sweeper's first re-index then finds
   * what the hubs need (summaries, events to publish again, groups to finish or unseal). Returns the hubs restored.
   */
  public int restore(HubStateStore hubs, HazelcastInstance member) {
    // The schemas first, whatever their place in the file: an image is read with those of its run.
    journal.recovered().of(Family.SCHEMA).values().forEach(bytes -> {
      Schema s = images.toObject(new HeapData(bytes));
      schemas.putIfAbsent(s.getSchemaId(), s);
    });
    Map<String, HubState> states = new HashMap<>();
    journal.recovered().of(Family.HUB).forEach((hub, image) -> states.put(hub, restored(image)));
    Map<String, SealedGroup> groups = new HashMap<>();
    journal.recovered().of(Family.GROUP).forEach((id, image) -> groups.put(id, restored(image)));
    hubs.restore(states);
    IMap<String, SealedGroup> seals = member.getMap(SealedGroup.MAP_NAME);
    seals.putAll(groups);
    // Into this run's journal (its schemas with them), so that it alone holds everything: compaction, a second crash.
    schemas.values().forEach(s -> journal.put(Family.SCHEMA, Long.toString(s.getSchemaId()), images.toData(s).toByteArray()));
    states.forEach(this::hubChanged);
    groups.values().forEach(this::groupRecorded);
    if (!states.isEmpty() || !groups.isEmpty()) {
      log.info("journal: {} hubs and {} group records restored ({} records read, {} bytes of a cut tail skipped)",
          states.size(), groups.size(), journal.recovered().records(), journal.recovered().cutBytes());
    }
    return states.size();
  }
}
