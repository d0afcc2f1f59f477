package org.csp.edge.ops;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The text log's message, its line breaks written as escapes: values that operators and clients choose (a silence's
 * comment, a matcher, a recipient) reach the log, and a line break in one would forge a line of its own, such as an
 * audit entry nobody made. Stack traces are not messages and keep their lines. Used by logback.xml as {@code %msg1}.
 */
public final class OneLineMessage extends ClassicConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return escaped(event.getFormattedMessage());
  }

  static String escaped(String message) {
    if (message == null) return null;
    StringBuilder out = null;
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      String escape = switch (c) {
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\u000B', '\u000C', '\u0085', '\u2028', '\u2029' -> String.format("\\u%04x", (int) c);
        default -> null;
      };
      if (escape == null) {
        if (out != null) out.append(c);
        continue;
      }
      if (out == null) out = new StringBuilder(message.length() + 16).append(message, 0, i);
      out.append(escape);
    }
    return out == null ? message : out.toString();
  }
}
