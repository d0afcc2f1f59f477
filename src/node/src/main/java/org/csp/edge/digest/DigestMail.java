package org.csp.edge.digest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.text.UnsafeCharacters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The digests by e-mail ({@code digests.email}): the same figures as the event, as plain text, to the recipient's
 * addresses, sent by Vert.x's non-blocking SMTP client. Sent by the member that built the digest, beside the event
 * and never in its way; a failed send is tried again {@code retries} times, {@code retryInterval} apart, and each
 * result counted ({@code csp_digest_emails_total{result}}: sent, failed, given_up). An e-mail is kept in the data
 * directory ({@link MailQueue}) until it is sent or given up, so a stop or a crash between tries does not lose it: the
 * member's next start sends it, with its tries afresh. A member that takes over the digest of one that died sends the
 * e-mail again (at least once, unlike the event, which the DSP deduplicates).
 */
public final class DigestMail {
  public static final List<String> RESULTS = List.of("sent", "failed", "given_up");
  /** Where the e-mails not yet sent are kept, under the data directory. */
  public static final String DIRECTORY = MailQueue.DIRECTORY;
  private static final Logger log = LoggerFactory.getLogger(DigestMail.class);

  private final NodeConfig.Email settings;
  private final String region;
  private final MailQueue queue;
  private final LongAdder sent = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder givenUp = new LongAdder();
  private Vertx vertx;
  private MailClient client;
  private volatile boolean stopped;
  /** E-mails waiting for their next try, by digest event id, with their timer: cancelled at a stop, kept on disk. */
  private final Map<String, Long> waiting = new ConcurrentHashMap<>();

  public DigestMail(NodeConfig.Email settings, String region, Path dataDir) {
    this.settings = settings;
    this.region = region;
    this.queue = new MailQueue(dataDir);
  }

  /** Starts the client and sends again the e-mails an earlier run kept. */
  Future<Void> start(Vertx vertx) {
    this.vertx = vertx;
    MailConfig config = new MailConfig().setHostname(settings.host()).setPort(settings.port())
        .setStarttls(StartTLSOptions.valueOf(settings.startTls().toUpperCase(Locale.ROOT)));
    if (settings.username() != null) config.setUsername(settings.username()).setPassword(settings.password());
    client = MailClient.createShared(vertx, config, "csp-digests");
    return vertx.executeBlocking(() -> queue.kept(givenUp::increment), false).map(kept -> {
      if (!kept.isEmpty()) log.info("{} digest e-mails kept by an earlier run: sending them", kept.size());
      for (MailQueue.Kept k : kept) attempt(new MailMessage(k.mail()), k.eventId(), 0);
      return (Void) null;
    }).recover(e -> {
      log.error("the digest e-mails kept by an earlier run could not be read ({}): not sent", e.toString());
      return Future.succeededFuture();
    });
  }

  /** Closes the client. An e-mail waiting for its next try stays in the data directory for the next start. */
  void stop() {
    stopped = true;
    waiting.forEach((eventId, timer) -> {
      if (vertx != null) vertx.cancelTimer(timer);
      log.info("digest {}: e-mail not sent yet, kept for the node's next start", eventId);
    });
    waiting.clear();
    if (client != null) client.close();
  }

  /** Sends the digest to the recipient's addresses, if it has any; returns at once. */
  void send(String recipient, String eventId, JsonObject digest) {
    List<String> to = settings.to().get(recipient);
    if (client == null || to == null || to.isEmpty()) return;
    MailMessage message = new MailMessage().setFrom(settings.from()).setTo(to)
        .setSubject("CSP edge node digest, region " + region + ", " + recipient + ": " + digest.getString("periodStart")
            + " to " + digest.getString("periodEnd"))
        .setText(text(recipient, eventId, digest));
    vertx.executeBlocking(() -> {
      queue.keep(eventId, message.toJson());
      return null;
    }, false).onComplete(kept -> {
      if (kept.failed()) {
        log.warn("digest {}: e-mail not kept in the data directory ({}): a stop before it is sent loses it", eventId,
            kept.cause().toString());
      }
      attempt(message, eventId, 0);
    });
  }

  private void attempt(MailMessage message, String eventId, int retried) {
    if (stopped) return; // kept for the next start
    client.sendMail(message).onSuccess(r -> {
      sent.increment();
      log.info("digest {} e-mailed to {}", eventId, message.getTo());
      forget(eventId);
    }).onFailure(e -> {
      if (stopped) return;
      if (retried >= settings.retries()) {
        givenUp.increment();
        log.error("digest {}: e-mail given up after {} tries: {}", eventId, retried + 1, e.toString());
        forget(eventId);
        return;
      }
      failed.increment();
      log.warn("digest {}: e-mail failed ({}); trying again in {}", eventId, e.toString(), settings.retryInterval());
      waiting.put(eventId, vertx.setTimer(settings.retryInterval().toMillis(), id -> {
        waiting.remove(eventId);
        attempt(message, eventId, retried + 1);
      }));
    });
  }

  /** The e-mail is sent or given up: its file goes. */
  private void forget(String eventId) {
    vertx.executeBlocking(() -> {
      queue.remove(eventId);
      return null;
    }, false).onFailure(e -> log.warn("digest {}: its kept e-mail could not be removed ({}): the next start sends it again",
        eventId, e.toString()));
  }

  /** The same figures as the event, as plain text. */
  static String text(String recipient, String eventId, JsonObject d) {
    StringBuilder b = new StringBuilder();
    b.append("Digest for ").append(oneLine(recipient)).append(", ").append(d.getString("periodStart")).append(" to ")
        .append(d.getString("periodEnd")).append("\n\n");
    b.append("Alerts: ").append(d.getLong("alerts")).append("\n");
    b.append("Storms started: ").append(d.getLong("stormsStarted")).append(", ended: ").append(d.getLong("stormsEnded"))
        .append("\n\nAlerts by code and outcome:\n");
    JsonObject byCode = d.getJsonObject("byCode");
    for (String code : byCode.fieldNames()) {
      JsonObject outcomes = byCode.getJsonObject(code);
      for (String outcome : outcomes.fieldNames()) {
        b.append("  ").append(oneLine(code)).append("  ").append(oneLine(outcome)).append(": ").append(outcomes.getLong(outcome)).append("\n");
      }
    }
    b.append("\nTop hubs:\n");
    for (Object o : d.getJsonArray("topHubs", new JsonArray())) {
      JsonObject h = (JsonObject) o;
      b.append("  ").append(oneLine(h.getString("hubId"))).append(": ").append(h.getLong("count")).append("\n");
    }
    b.append("\nTop device models:\n");
    for (Object o : d.getJsonArray("topDeviceModels", new JsonArray())) {
      JsonObject m = (JsonObject) o;
      Object dmc = m.getValue("dmc");
      String name = dmc instanceof JsonObject j ? modelName(j) : oneLine(String.valueOf(dmc));
      b.append("  ").append(name).append(": ").append(m.getLong("count")).append("\n");
    }
    b.append("\nHeld by silences:\n");
    for (Object o : d.getJsonArray("silences", new JsonArray())) held(b, (JsonObject) o);
    b.append("\nHeld by inhibitions:\n");
    for (Object o : d.getJsonArray("inhibitions", new JsonArray())) held(b, (JsonObject) o);
    b.append("\nEvent ").append(eventId).append("\n");
    return b.toString();
  }

  private static void held(StringBuilder b, JsonObject o) {
    b.append("  ").append(oneLine(o.getString("alertCode"))).append(": ").append(o.getLong("held")).append("\n");
  }

  /**
   * A device model as its three fields apart ({@code Acme / GPF-1 / 1.0}), a field quoted (with JSON's escapes) when
   * it holds a space, the separator, a quote, a control character or nothing: no model reads as another, and none adds a line to the mail
   * (a model name is whatever a device sent).
   */
  static String modelName(JsonObject dmc) {
    StringBuilder out = new StringBuilder();
    for (String field : new String[] {"manufacturer", "model", "firmware"}) {
      String v = String.valueOf(dmc.getValue(field, ""));
      if (out.length() > 0) out.append(" / "); // ASCII: the mail stays plain 7-bit text
      boolean plain = !v.isEmpty()
          && v.codePoints().noneMatch(c -> Character.isWhitespace(c) || UnsafeCharacters.breaksText(c) || c == '/'
              || c == '"' || c == '\\');
      out.append(plain ? v : quoted(v));
    }
    return out.toString();
  }

  /** A value on one line: with a control character or a line separator in it, written quoted with JSON's escapes. */
  static String oneLine(String value) {
    if (value == null) return "null";
    return UnsafeCharacters.anyBreaksText(value) ? quoted(value) : value;
  }

  /** In double quotes, a quote and a backslash escaped, and every character that could break a line as {@code \\uXXXX}. */
  private static String quoted(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (UnsafeCharacters.breaksText(c)) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }

  public long count(String result) {
    return switch (result) {
      case "sent" -> sent.sum();
      case "failed" -> failed.sum();
      default -> givenUp.sum();
    };
  }
}
