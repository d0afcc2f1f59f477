package org.csp.edge.ops;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.csp.edge.text.UnsafeCharacters;

/**
 * The text log's message, its line breaks and other control characters written as escapes: values that operators and clients choose (a silence's
 * comment, a matcher, a recipient) reach the log, and a line break in one would forge a line of its own, such as an
 * audit entry nobody made. Stack traces are not messages and keep their lines. Used by logback.xml as {@code %msg1}.
 */
public final class OneLineMessage extends ClassicConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return escaped(event.getFormattedMessage());
  }

  static String escaped(String message) {
    return UnsafeCharacters.escaped(message);
  }
}
