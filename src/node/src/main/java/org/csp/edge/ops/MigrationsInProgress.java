package org.csp.edge.ops;

import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Partition migrations the cluster is running, as this member hears of them: planned minus completed while a
 * migration process runs, 0 once it has finished. A member that joins or leaves moves partitions for a while; one
 * that stays non-zero for long means the cluster cannot settle (csp_cluster_migrations_in_progress).
 */
final class MigrationsInProgress implements MigrationListener {
  private final AtomicLong inProgress = new AtomicLong();

  long inProgress() {
    return inProgress.get();
  }

  @Override
  public void migrationStarted(MigrationState state) {
    inProgress.set(remaining(state));
  }

  @Override
  public void migrationFinished(MigrationState state) {
    inProgress.set(0);
  }

  @Override
  public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
    inProgress.set(remaining(event.getMigrationState()));
  }

  @Override
  public void replicaMigrationFailed(ReplicaMigrationEvent event) {
    inProgress.set(remaining(event.getMigrationState()));
  }

  private static long remaining(MigrationState state) {
    return Math.max(0, state.getPlannedMigrations() - state.getCompletedMigrations());
  }
}
