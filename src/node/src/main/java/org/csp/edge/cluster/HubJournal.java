package org.csp.edge.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.internal.serialization.impl.compact.Schema;
import com.hazelcast.internal.serialization.impl.compact.SchemaService;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubState;
import org.csp.edge.durability.Journal;
import org.csp.edge.durability.JournalRecord;
import org.csp.edge.durability.JournalRecord.Family;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the member's operations change, written to its {@link Journal} before their result goes back: every
 * operation on a hub that an acknowledgement stands for (as owner and as backup, so each copy is on its member's
 * disk), a hub forgotten, a group record made or deleted. A hub's operation is journaled as its replay form, the
 * operation its backup runs (its inputs, the owner's regional answers with them; its policy by key, the policy
 * journaled once: {@link JournalForms}): tens of bytes per alert, where
 * the hub's whole image grows with its storm's devices. A hub that does not storm is packed, its image about an
 * operation's size: journaled whole, as its packed bytes alone in a raw form of the journal's own when that is all it
 * holds ({@link JournalForms#packed}, family {@code HUB_PACKED}); any other hub in another ({@link RawHubImage},
 * {@code HUB_RAW}; the Compact image, family {@code HUB}, is read from earlier releases' journals). A storming hub's image is journaled once, then its
 * operations (a decision in a raw form too: {@link RawDecision}, {@code HUB_DECISION}), and the image again once they add up to {@code changesPerImage} times its size, so a start replays at
 * most that much per hub and compaction keeps at most that much. Other records are the
 * Compact form of the cluster's state and operations (the same evolution rule, org.csp.edge.cluster.state),
 * written by a serialization service of the journal's own: each schema it meets is journaled once, before any
 * record that uses it, so a later release reads an older journal. Not the member's service: writing schemas into
 * records there would leave the member believing the cluster knows them.
 */
public final class HubJournal {
  private static final Logger log = LoggerFactory.getLogger(HubJournal.class);

  private final Journal journal;
  private final int changesPerImage;
  private final InternalSerializationService images;
  private final Map<Long, Schema> schemas = new ConcurrentHashMap<>();
  /** Held while a schema is journaled, so that no record that uses it is written before it. */
  private final Object schemaWrites = new Object();
  /**
   * The storming hubs whose last image is on record, with the size of that image and of the changes since. Only
   * storming hubs are here, so the map stays small beside the hub map. A hub's entry is used by its partition
   * thread alone.
   */
  private final Map<String, Chain> chains = new ConcurrentHashMap<>();
  /** The policies journaled in this run, by value, with their keys; guarded by itself. */
  private final Map<AlertPolicy, String> policies = new HashMap<>();
  private volatile KeyedPolicy lastPolicy;

  private static final class Chain {
    final int imageBytes;
    long sinceImage;
    /** The size of the hub's last change: one larger than the image is not worth journaling as a change. */
    int lastChange;
    int imagesSinceTried;

    Chain(int imageBytes) {
      this.imageBytes = imageBytes;
    }
  }

  public HubJournal(Journal journal, int changesPerImage) {
    this.journal = journal;
    this.changesPerImage = changesPerImage;
    this.images = serialization();
  }

  private InternalSerializationService serialization() {
    Config config = new Config();
    List<CompactSerializer<?>> serializers = new ArrayList<>(ClusterSerializers.all());
    serializers.addAll(JournalForms.serializers());
    ClusterSerializers.register(config, serializers);
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
        // Called while the first record of a type is written, before the type's schema is cached for the next ones;
        // by several partition threads at once when they meet a new type together. Known to them only once it is
        // journaled: a thread that found it known, and wrote its record, never had it before the schema on disk.
        if (schemas.containsKey(schema.getSchemaId())) return;
        synchronized (schemaWrites) {
          if (schemas.containsKey(schema.getSchemaId())) return;
          if (journal.on()) {
            journal.put(Family.SCHEMA, Long.toString(schema.getSchemaId()), images.toData(schema).toByteArray());
          }
          schemas.put(schema.getSchemaId(), schema);
        }
      }
    };
    return (InternalSerializationService) new DefaultSerializationServiceBuilder()
        .setConfig(config.getSerializationConfig()).setSchemaService(known).build();
  }

  /**
   * After an operation on the hub: journals {@code replay} (the operation as its backup runs it, on the state before
   * it) when the hub storms and its last image is on record, or else the hub's whole {@code state} after it.
   */
  void hubChanged(String hubId, HubState state, Object replay) {
    if (!journal.on()) return;
    if (!state.storming()) {
      imageOf(hubId, state); // packed: the image is about an operation's size, and needs nothing before it at a start
      return;
    }
    Chain chain = chains.get(hubId);
    if (chain != null && chain.lastChange < chain.imageBytes) {
      Object journaled = JournalForms.of(replay, this::policyKey);
      boolean decision = journaled instanceof JournalForms.Decision;
      byte[] change = decision ? RawDecision.of((JournalForms.Decision) journaled) : image(journaled);
      chain.lastChange = change.length;
      if (chain.sinceImage + change.length <= (long) chain.imageBytes * changesPerImage) {
        journal.put(decision ? Family.HUB_DECISION : Family.HUB_CHANGE, hubId, change);
        chain.sinceImage += change.length;
        return;
      }
    }
    imageOf(hubId, state);
  }

  /**
   * The key under which {@code policy} is journaled, journaling it the first time: the policy of the last operation
   * is kept (it is the same object operation after operation until the policy changes), others found by value.
   */
  private String policyKey(AlertPolicy policy) {
    KeyedPolicy last = lastPolicy;
    if (last != null && last.policy == policy) return last.key;
    synchronized (policies) {
      String key = policies.get(policy);
      if (key == null) {
        byte[] image = image(policy);
        key = PolicyKey.of(image);
        journal.put(Family.POLICY, key, image); // before any operation naming it, and before another thread may
        policies.put(policy, key);
      }
      lastPolicy = new KeyedPolicy(policy, key);
      return key;
    }
  }

  private record KeyedPolicy(AlertPolicy policy, String key) {}

  /** Journals the hub's whole state; the operations after it on a storming hub are journaled as changes. */
  private void imageOf(String hubId, HubState state) {
    if (!state.storming()) {
      chains.remove(hubId);
      HubState.Packed alone = state.packedAlone();
      if (alone != null) {
        journal.put(Family.HUB_PACKED, hubId, JournalForms.packed(alone));
        return;
      }
      journal.put(Family.HUB_RAW, hubId, RawHubImage.of(state));
      return;
    }
    byte[] image = RawHubImage.of(state);
    journal.put(Family.HUB_RAW, hubId, image);
    // An operation larger than the image (a big batch) is journaled as the image; tried again every few images.
    Chain before = chains.get(hubId);
    Chain next = new Chain(image.length);
    if (before != null && before.lastChange >= before.imageBytes && before.imagesSinceTried < changesPerImage) {
      next.lastChange = before.lastChange;
      next.imagesSinceTried = before.imagesSinceTried + 1;
    }
    chains.put(hubId, next);
  }

  /** Partitions moved: every hub's next operation journals its whole image, the base its later changes replay on. */
  void imagesAgain() {
    chains.clear();
  }

  void hubForgotten(String hubId) {
    chains.remove(hubId);
    journal.remove(Family.HUB, hubId);
  }

  void groupRecorded(SealedGroup record) {
    if (journal.on()) journal.put(Family.GROUP, record.groupId(), image(record));
  }

  void groupDeleted(String groupId) {
    journal.remove(Family.GROUP, groupId);
  }

  /** The record of {@code value} in the journal: its Compact form, without its schemas (journaled once apart). */
  byte[] image(Object value) {
    return images.toData(value).toByteArray();
  }

  <T> T restored(byte[] image) {
    return images.toObject(new HeapData(image));
  }

  /**
   * The hubs as the journal held them when it was opened: each hub's newest image, then its operations journaled
   * after it replayed in order, as its backup ran them (from an empty hub when its first operations had no image).
   */
  Map<String, HubState> restoredHubs() {
    // The schemas first, whatever their place in the file: a record is read with those of its run.
    journal.recovered().of(Family.SCHEMA).values().forEach(bytes -> {
      Schema s = images.toObject(new HeapData(bytes));
      schemas.putIfAbsent(s.getSchemaId(), s);
    });
    Map<String, HubState> states = new HashMap<>();
    journal.recovered().of(Family.HUB).forEach((hub, image) -> states.put(hub, restored(image)));
    // A hub's two forms share its slot: only the newer of them is among the records read.
    journal.recovered().of(Family.HUB_PACKED)
        .forEach((hub, record) -> states.put(hub, HubState.of(JournalForms.packed(record))));
    journal.recovered().of(Family.HUB_RAW).forEach((hub, record) -> states.put(hub, RawHubImage.read(record)));
    // Then each hub's operations after its image, in order, as its backup ran them (none on a hub's first image).
    Map<String, AlertPolicy> journaledPolicies = new HashMap<>();
    journal.recovered().of(Family.POLICY).forEach((key, image) -> journaledPolicies.put(key, restored(image)));
    journal.recovered().changesAfter(Family.HUB).forEach((hub, changes) -> {
      Map.Entry<String, HubState> entry = new AbstractMap.SimpleEntry<>(hub, states.get(hub));
      for (JournalRecord change : changes) {
        Object journaled = change.family() == Family.HUB_DECISION ? RawDecision.read(change.image()) : restored(change.image());
        EntryProcessor<String, HubState, ?> operation = journaled instanceof JournalForms.Journaled j
            ? j.operation(journaledPolicies::get) : (EntryProcessor<String, HubState, ?>) journaled;
        operation.process(entry);
      }
      if (entry.getValue() != null) states.put(hub, entry.getValue());
    });
    return states;
  }

  /**
   * Puts back what the journal held when it was opened: the hubs' states and the group records. Called before the
   * intakes open, on a member that is alone (a cluster that was down whole); the sweeper's first re-index then finds
   * what the hubs need (summaries, events to publish again, groups to finish or unseal). Returns the hubs restored.
   */
  public int restore(HubStateStore hubs, HazelcastInstance member) {
    Map<String, HubState> states = restoredHubs();
    boolean clean = journal.recovered().isAfterCleanStop();
    if (clean) {
      // A clean stop left nothing owed: what its hubs held for the broker was delivered (receipts are not journaled)
      // or is in the spill, which the start publishes. Sent again from here, it would reach the DSP twice.
      states.values().forEach(s -> s.delivered(s.waiting().stream().map(e -> e.eventId()).collect(java.util.stream.Collectors.toSet())));
    }
    Map<String, SealedGroup> groups = new HashMap<>();
    journal.recovered().of(Family.GROUP).forEach((id, image) -> groups.put(id, restored(image)));
    hubs.restore(states);
    IMap<String, SealedGroup> seals = member.getMap(SealedGroup.MAP_NAME);
    seals.putAll(groups);
    // Into this run's journal (its schemas with them), so that it alone holds everything: compaction, a second crash.
    schemas.values().forEach(s -> journal.put(Family.SCHEMA, Long.toString(s.getSchemaId()), images.toData(s).toByteArray()));
    states.forEach(this::imageOf);
    groups.values().forEach(this::groupRecorded);
    if (clean) {
      log.info("journal: the memory of {} hubs kept by the last run's clean stop restored (storms, header counters,"
          + " rates; {} group records)", states.size(), groups.size());
    } else if (!states.isEmpty() || !groups.isEmpty()) {
      long changes = journal.recovered().changesAfter(Family.HUB).values().stream().mapToLong(List::size).sum();
      log.info("journal: {} hubs ({} operations replayed after their images) and {} group records restored ({} records "
          + "read, {} bytes of a cut tail skipped)", states.size(), changes, groups.size(), journal.recovered().records(),
          journal.recovered().cutBytes());
    }
    return states.size();
  }
}
