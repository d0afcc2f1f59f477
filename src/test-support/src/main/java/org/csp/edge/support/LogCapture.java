package org.csp.edge.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * The lines one logger (and its children) writes while a test runs, kept in memory. Reads take a copy under the
 * appender's own lock, the one it appends under ({@code AppenderBase.doAppend}), so a read never races a node thread
 * that is logging. Close it to detach.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
    appender.start();
    logger.addAppender(appender);
  }

  /** Everything the node logs. */
  public static LogCapture everything() {
    return named(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  public static LogCapture of(Class<?> type) {
    return named(type.getName());
  }

  public static LogCapture named(String loggerName) {
    return new LogCapture((Logger) LoggerFactory.getLogger(loggerName));
  }

  /** What was logged so far, in order. */
  public List<ILoggingEvent> events() {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  public List<ILoggingEvent> events(Predicate<ILoggingEvent> which) {
    return events().stream().filter(which).toList();
  }

  public List<ILoggingEvent> at(Level level) {
    return events(e -> e.getLevel() == level);
  }

  /** The events whose message, or whose exception's message, contains {@code text}. */
  public List<ILoggingEvent> containing(String text) {
    return events(e -> e.getFormattedMessage().contains(text)
        || (e.getThrowableProxy() != null && String.valueOf(e.getThrowableProxy().getMessage()).contains(text)));
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
