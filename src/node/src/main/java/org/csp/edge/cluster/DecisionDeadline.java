package org.csp.edge.cluster;

import com.hazelcast.cluster.Member;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * When a decision whose backups do not answer is refused, so that its sender sends it again (src/docs/design.md,
 * "Split brain"): {@link BackupPatience#patienceMillis} after its first ask; and, the first time a member is seen to
 * have left the list it was first asked among, no sooner than {@link BackupPatience#afterLeftMillis} after that: the
 * member that left is most likely the one whose silence held it, and its partitions need backups on the members
 * left before the decision can hold. Used on one Vert.x context.
 */
final class DecisionDeadline {
  private final long afterLeftNanos;
  private final Set<Member> firstAsked;
  private final Supplier<Set<Member>> members;
  private long at;
  private boolean moved;

  DecisionDeadline(BackupPatience patience, Supplier<Set<Member>> members) {
    this.afterLeftNanos = TimeUnit.MILLISECONDS.toNanos(patience.afterLeftMillis());
    this.members = members;
    this.firstAsked = members.get();
    this.at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(patience.patienceMillis());
  }

  /** Whether a member left since the first ask. */
  boolean memberLeft() {
    return !members.get().containsAll(firstAsked);
  }

  /** Whether the deadline is less than {@code pauseMillis} away (moved first if a member left since the first ask). */
  boolean within(long pauseMillis) {
    long now = System.nanoTime();
    if (!moved && memberLeft()) {
      moved = true;
      at = Math.max(at, now + afterLeftNanos);
    }
    return now + TimeUnit.MILLISECONDS.toNanos(pauseMillis) >= at;
  }

  /** Milliseconds left until the deadline as it stands (at least 1). */
  long remainingMillis() {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(at - System.nanoTime()));
  }
}
