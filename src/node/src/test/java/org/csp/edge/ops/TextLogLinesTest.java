package org.csp.edge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The text log is read line by line (by people and by collectors): a value an operator or a client chose, logged
 * with its line breaks, must not forge a line of its own, such as an audit entry nobody made.
 */
class TextLogLinesTest {

  @Test
  void aMessageWithLineBreaksStaysOneLine() throws Exception {
    String out = logged("silence.create id=s1 by=admin comment=\"ok\nsilence.expire id=s1 by=someone-else\r\nx\u2028y\u0085z\"");
    String[] lines = out.split("\n");
    assertEquals(1, lines.length, out);
    assertTrue(out.contains("comment=\"ok\\nsilence.expire id=s1 by=someone-else\\r\\nx\\u2028y\\u0085z\""), out);
  }

  /** An escape sequence in a logged value would act on the terminal that shows the log (clear it, recolour it). */
  @Test
  void aMessageWithTerminalControlsIsWrittenWithThemEscaped() throws Exception {
    String out = logged("silence.create id=s2 by=admin comment=\"\u001b[2J\u001b]0;owned\u0007\u0000end\"");
    assertEquals(1, out.split("\n").length, out);
    assertTrue(out.chars().noneMatch(c -> c < 0x20 && c != '\n'), out);
    assertTrue(out.contains("comment=\"\\u001b[2J\\u001b]0;owned\\u0007\\u0000end\""), out);
  }

  @Test
  void aStackTraceStillFollowsItsMessage() throws Exception {
    String out = logged("failed", new IllegalStateException("boom"));
    assertTrue(out.lines().count() > 1, out);
    assertTrue(out.lines().findFirst().orElseThrow().endsWith("failed"), out);
    assertTrue(out.contains("java.lang.IllegalStateException: boom"), out);
  }

  private static String logged(String message, Throwable... thrown) throws Exception {
    PrintStream console = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(TextLogLinesTest.class.getResource("/logback.xml"));
      if (thrown.length == 0) context.getLogger("csp.audit").info(message);
      else context.getLogger("csp.audit").warn(message, thrown[0]);
    } finally {
      context.stop();
      System.setOut(console);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
