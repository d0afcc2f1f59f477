package org.csp.edge.register;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csp.edge.alert.Dmc;
import org.csp.edge.history.RollupStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The annotations of the register, in the cluster (the map {@link #MAP}, one entry per annotation as its JSON text,
 * so any member lists them all) and in the rollups' store (table register_annotation), which keeps them across a
 * restart of the whole cluster. Each member makes its store and the map hold the same at every recompute: with the
 * embedded store every member keeps them all, with PostgreSQL they are written once. Only ever added. Blocking:
 * called on the store's worker.
 */
public final class Annotations {
  public static final String MAP = "csp-register-annotations";
  private static final Logger log = LoggerFactory.getLogger(Annotations.class);

  private final IMap<String, String> map;

  public Annotations(HazelcastInstance hazelcast) {
    this.map = hazelcast.getMap(MAP);
  }

  /** Stores it (first: the durable copy), shares it, audits it. */
  Annotation add(RollupStore store, Annotation a) {
    store.inTransaction("storing an annotation", c -> insert(c, a));
    map.set(a.id(), a.toJson().encode());
    RegisterAudit.annotated(a);
    return a;
  }

  /** Every annotation the cluster holds, oldest first. */
  List<Annotation> all() {
    List<Annotation> out = new ArrayList<>();
    for (String text : map.values()) out.add(Annotation.fromJson(new JsonObject(text)));
    out.sort(Comparator.comparingLong(Annotation::at).thenComparing(Annotation::id));
    return out;
  }

  /** The store's annotations into the map, the map's into the store: both then hold every one. */
  void reconcile(RollupStore store) {
    Map<String, Annotation> stored = new HashMap<>();
    store.inTransaction("reading annotations", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, manufacturer, model, firmware, alert_code, annotated_at,"
          + " annotated_by, annotation_text FROM register_annotation"); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.put(rs.getString(1), new Annotation(rs.getString(1), new Dmc(rs.getString(2), rs.getString(3),
              rs.getString(4)), rs.getString(5), rs.getLong(6), rs.getString(7), rs.getString(8)));
        }
      }
      return null;
    });
    int restored = 0;
    for (Annotation a : stored.values()) {
      if (map.putIfAbsent(a.id(), a.toJson().encode()) == null) restored++;
    }
    List<Annotation> missing = new ArrayList<>();
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (!stored.containsKey(e.getKey())) missing.add(Annotation.fromJson(new JsonObject(e.getValue())));
    }
    if (!missing.isEmpty()) {
      store.inTransaction("storing annotations", c -> {
        for (Annotation a : missing) insert(c, a);
        return null;
      });
    }
    if (restored > 0 || !missing.isEmpty()) {
      log.info("register: {} annotation(s) restored from the store, {} stored from the cluster", restored, missing.size());
    }
  }

  private static Void insert(java.sql.Connection c, Annotation a) throws java.sql.SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO register_annotation (id, manufacturer, model, firmware,"
        + " alert_code, annotated_at, annotated_by, annotation_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, a.id());
      ps.setString(2, a.dmc().manufacturer());
      ps.setString(3, a.dmc().model());
      ps.setString(4, a.dmc().firmware());
      ps.setString(5, a.alertCode());
      ps.setLong(6, a.at());
      ps.setString(7, a.by());
      ps.setString(8, a.text());
      ps.executeUpdate();
    }
    return null;
  }
}
