package org.csp.edge.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.spi.properties.ClusterProperty;
import com.hazelcast.spi.properties.HazelcastProperties;

/**
 * How long a decision is asked again while its backups do not answer, and how long it waits between asks
 * (src/docs/design.md, "Split brain"). Taken from the cluster's own clocks, as its configuration sets them. A member
 * that stopped answering is found silent after {@code hazelcast.max.no.heartbeat.seconds}, and dropped once the
 * others agree on it, which takes up to that long again when the silent one was the master (the others elect a new
 * one first); two backup timeouts ({@code hazelcast.operation.backup.timeout.millis}) more cover the ask under way.
 * That is {@link #patienceMillis}, from the first ask. Once a member has left, its partitions need backups on the
 * members left: {@link #afterLeftMillis}, one heartbeat timeout and two backup timeouts, from when that is seen.
 * So a decision on the side that keeps the quorum holds in time, and one on a member cut off is refused in time
 * (alone, it has no quorum). Pauses start at {@code hazelcast.invocation.retry.pause.millis} and double up to one
 * backup timeout.
 */
record BackupPatience(long patienceMillis, long afterLeftMillis, long firstPauseMillis, long maxPauseMillis) {
  static BackupPatience of(Config config) {
    HazelcastProperties clocks = new HazelcastProperties(config);
    long backup = clocks.getMillis(ClusterProperty.OPERATION_BACKUP_TIMEOUT_MILLIS);
    long silentFor = clocks.getMillis(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS);
    long pause = Math.max(1, clocks.getMillis(ClusterProperty.INVOCATION_RETRY_PAUSE));
    return new BackupPatience(2 * silentFor + 2 * backup, silentFor + 2 * backup, pause, Math.max(pause, backup));
  }

  /** The pause before ask {@code asked + 1}: doubled with every ask, at most {@link #maxPauseMillis}. */
  long pauseAfter(int asked) {
    long pause = firstPauseMillis << Math.min(Math.max(asked - 1, 0), 20);
    return Math.min(maxPauseMillis, pause);
  }
}
