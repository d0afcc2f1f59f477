package org.csp.edge.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the short durations operators write in configuration: {@code 250ms}, {@code 30s}, {@code 15m}, {@code 2h}. */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  /**
   * The longest duration taken anywhere: a century, longer than any setting means, and short enough that an instant
   * plus it (the node adds them) never overflows epoch milliseconds.
   */
  public static final Duration LONGEST = Duration.ofDays(36_500);

  private Durations() {}

  public static Duration parse(String text, String settingName) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new ConfigException(settingName + ": '" + text + "' is not a duration; write e.g. 500ms, 30s, 15m, 2h");
    }
    Duration d;
    try {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } catch (NumberFormatException | ArithmeticException e) {
      d = null; // more digits than a long, or more seconds than a Duration: longer than the longest anyway
    }
    if (d == null || d.compareTo(LONGEST) > 0) {
      throw new ConfigException(settingName + ": must be at most " + format(LONGEST) + ", got '" + text + "'");
    }
    return d;
  }

  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
    if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
    if (ms % 1000 == 0 && ms > 0) return ms / 1000 + "s";
    return ms + "ms";
  }
}
