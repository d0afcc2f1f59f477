package org.csp.edge.sim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * A scenario's messages, made one at a time (a large run never holds them all in memory) but with the
 * total known up front, for progress lines and for interleaving scenarios in proportion.
 */
public abstract class MessageSource implements Iterator<SimMessage> {

  private final long total;
  private long produced;

  protected MessageSource(long total) {
    if (total < 0) {
      throw new IllegalArgumentException("negative total " + total);
    }
    this.total = total;
  }

  /** A source whose messages come from a generator called exactly {@code total} times. */
  public static MessageSource generated(long total, Supplier<SimMessage> generator) {
    return new MessageSource(total) {
      @Override
      protected SimMessage produce() {
        return generator.get();
      }
    };
  }

  /** A source over messages already made (small scenarios, tests). */
  public static MessageSource of(List<SimMessage> messages) {
    Iterator<SimMessage> it = List.copyOf(messages).iterator();
    return generated(messages.size(), it::next);
  }

  public final long total() {
    return total;
  }

  public final long remaining() {
    return total - produced;
  }

  @Override
  public final boolean hasNext() {
    return produced < total;
  }

  @Override
  public final SimMessage next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    produced++;
    SimMessage message = produce();
    if (message == null) {
      throw new IllegalStateException(getClass().getName() + " ran dry after " + (produced - 1) + " of " + total);
    }
    return message;
  }

  /** Everything left, in order. For tests and small runs. */
  public final List<SimMessage> drain() {
    List<SimMessage> out = new ArrayList<>();
    forEachRemaining(out::add);
    return out;
  }

  /** Called exactly {@link #total()} times. */
  protected abstract SimMessage produce();
}
