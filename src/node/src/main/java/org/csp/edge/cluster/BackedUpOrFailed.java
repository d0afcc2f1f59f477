package org.csp.edge.cluster;

import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.util.ThreadUtil;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.operation.MapOperation;
import com.hazelcast.map.impl.proxy.MapProxyImpl;
import com.hazelcast.spi.impl.InternalCompletableFuture;
import com.hazelcast.spi.impl.NodeEngine;
import java.util.concurrent.CompletionStage;

/**
 * {@code IMap.submitToKey} whose operation fails with {@code IndeterminateOperationStateException} when a backup did
 * not acknowledge within {@code hazelcast.operation.backup.timeout.millis}, instead of succeeding with the backup
 * missing: the hub operations whose completion stands for "the backups hold it" (a decision before its PUBACK, a
 * read-out before the held events go out, a group step before the group is published; design.md, "Split brain").
 *
 * <p>Per invocation, as IMap builds it (MapProxySupport.executeOnKeyInternal in Hazelcast 5.3), not with the
 * member-wide {@code hazelcast.operation.fail.on.indeterminate.state}: that one also fails every other map operation
 * whose backup answered late (Vert.x's maps, the group records, the rollups, a merge), each applied on its owner
 * and reported failed to callers that take a failure for "not done".
 */
final class BackedUpOrFailed {
  private BackedUpOrFailed() {}

  /** As {@code map.submitToKey(key, processor)}; a map that is not a member's proxy (a test's) is asked as it is. */
  static <K, V, R> CompletionStage<R> submitToKey(IMap<K, V> map, K key, EntryProcessor<K, V, R> processor) {
    if (!(map instanceof MapProxyImpl<K, V> proxy)) return map.submitToKey(key, processor);
    NodeEngine engine = proxy.getNodeEngine();
    if (processor instanceof HazelcastInstanceAware aware) aware.setHazelcastInstance(engine.getHazelcastInstance());
    InternalSerializationService serialization = (InternalSerializationService) engine.getSerializationService();
    Data keyData = serialization.toData(key, proxy.getPartitionStrategy());
    int partitionId = engine.getPartitionService().getPartitionId(keyData);
    MapOperation operation = proxy.getOperationProvider().createEntryOperation(proxy.getName(), keyData, processor);
    operation.setThreadId(ThreadUtil.getThreadId());
    InternalCompletableFuture<Data> answer = engine.getOperationService()
        .createInvocationBuilder(MapService.SERVICE_NAME, operation, partitionId)
        .setResultDeserialized(false)
        .setFailOnIndeterminateOperationState(true)
        .invoke();
    return InternalCompletableFuture.newDelegatingFuture(serialization, answer);
  }
}
