package org.csp.edge.cluster.state;

import com.hazelcast.config.Config;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.internal.serialization.impl.compact.Schema;
import com.hazelcast.internal.serialization.impl.compact.SchemaService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.csp.edge.cluster.ClusterSerializers;

/**
 * Hazelcast's serialization as a member configured by ClusterConfigs does it, without a member: every call to
 * {@link #fresh} knows no schema yet, so what it reads must carry its schema (as a sample does, or a member of
 * another release sends).
 */
public final class LocalSerialization {
  private final InternalSerializationService service;

  private LocalSerialization(InternalSerializationService service) {
    this.service = service;
  }

  public static LocalSerialization fresh() {
    Config config = new Config();
    ClusterSerializers.register(config);
    Map<Long, Schema> schemas = new ConcurrentHashMap<>();
    SchemaService memory = new SchemaService() {
      @Override
      public Schema get(long id) {
        return schemas.get(id);
      }

      @Override
      public void put(Schema schema) {
        schemas.put(schema.getSchemaId(), schema);
      }

      @Override
      public void putLocal(Schema schema) {
        put(schema);
      }
    };
    return new LocalSerialization((InternalSerializationService) new DefaultSerializationServiceBuilder()
        .setConfig(config.getSerializationConfig()).setSchemaService(memory).build());
  }

  /** The object's bytes with every schema they use, as a sample keeps them. */
  public byte[] withSchema(Object o) {
    return service.toDataWithSchema(o).toByteArray();
  }

  public <T> T read(byte[] bytes) {
    Data data = new HeapData(bytes);
    return service.toObject(data);
  }

  /** A copy as another member would read it: written here, read by a fresh service. */
  public static <T> T copied(T o) {
    return fresh().read(fresh().withSchema(o));
  }
}
