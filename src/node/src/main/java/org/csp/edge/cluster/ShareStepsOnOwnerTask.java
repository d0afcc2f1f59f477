package org.csp.edge.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.IMap;
import java.util.HashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.csp.edge.decision.GroupShare;
import org.csp.edge.decision.HubState;

/**
 * One step of a regional group ({@link ShareStepOperation}) for several hubs owned by one remote member, sent there as a
 * single task: one round trip per owner, and on the owner one ordinary {@code submitToKey} per hub, each of which
 * waits for the partition's backup before it answers.
 *
 * <p>Why not {@code IMap.submitToKeys}: its backups are asynchronous in Hazelcast 5.3 (see {@link DecideOnOwnerTask}).
 * For a group step that is a double count, not a repeat: an owner dying after a SEAL but before its backup had it
 * leaves the promoted copy with the share still open, to be grouped again under another group id; a lost RELEASE
 * leaves a seal behind that is later unsealed into the open share. Group steps are a few per group, so the task's
 * thread on the owner costs little.
 *
 * <p>The result holds the hubs whose step returned a share (SEAL); hubs without one are left out.
 */
final class ShareStepsOnOwnerTask implements Callable<HashMap<String, GroupShare>>, HazelcastInstanceAware {
  private final String[] hubIds;
  private final ShareStepOperation step;
  private transient HazelcastInstance member;

  ShareStepsOnOwnerTask(String[] hubIds, ShareStepOperation step) {
    this.hubIds = hubIds;
    this.step = step;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance member) {
    this.member = member;
  }

  @Override
  public HashMap<String, GroupShare> call() throws Exception {
    IMap<String, HubState> hubs = member.getMap(HubStateStore.MAP_NAME);
    @SuppressWarnings("unchecked")
    CompletableFuture<GroupShare>[] running = new CompletableFuture[hubIds.length];
    for (int i = 0; i < hubIds.length; i++) running[i] = hubs.submitToKey(hubIds[i], step).toCompletableFuture();
    HashMap<String, GroupShare> shares = new HashMap<>(hubIds.length * 2);
    for (int i = 0; i < running.length; i++) {
      GroupShare share = running[i].get(); // the step has run on the hub and been backed up
      if (share != null) shares.put(hubIds[i], share);
    }
    return shares;
  }

  // For its serializer (ClusterSerializers): its fields, and the operation restored from them.

  String[] hubIds() {
    return hubIds;
  }

  ShareStepOperation step() {
    return step;
  }
}
