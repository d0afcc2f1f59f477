package org.csp.edge.sim;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP transport against a small stand-in node that answers like the contract says, with some 503s. */
class HttpTransportTest {

  private static final int FIRST_503S = 3;

  private Vertx vertx;
  private HttpServer server;
  private final List<String> received = Collections.synchronizedList(new ArrayList<>());
  private final List<String> contentTypes = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger requests = new AtomicInteger();
  private WireOracle oracle;

  @BeforeEach
  void startNode() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close(), 10);
  }

  private int listen(ScenarioContext context) {
    oracle = new WireOracle(context);
    server = vertx.createHttpServer().requestHandler(req -> {
      if (!req.path().equals(HttpTransport.PATH)) {
        req.response().setStatusCode(404).end();
        return;
      }
      req.body().onSuccess(body -> {
        if (requests.incrementAndGet() <= FIRST_503S) {
          req.response().setStatusCode(503).putHeader("Retry-After", "0").end();
          return;
        }
        String contentType = req.getHeader("Content-Type");
        contentTypes.add(contentType);
        received.add(body.toString());
        SimMessage asReceived = new SimMessage(null, body.getBytes(), 1, "received", java.util.Map.of("x", 1), 0, 0,
          contentType.equals("application/x-ndjson") ? SimMessage.Format.NDJSON : SimMessage.Format.JSON);
        WireOracle.Verdict verdict;
        synchronized (oracle) {
          verdict = oracle.judge(asReceived);
        }
        JsonArray rejected = new JsonArray();
        for (int i = 0; i < verdict.reasons().size(); i++) {
          rejected.add(new JsonObject().put("index", i).put("reason", verdict.reasons().get(i)));
        }
        req.response().setStatusCode(verdict.accepted() + verdict.duplicates() > 0 ? 200 : 400)
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("accepted", verdict.accepted()).put("duplicates", verdict.duplicates())
            .put("rejected", rejected).encode());
      });
    });
    return Await.result(server.listen(0, "127.0.0.1"), 10).actualPort();
  }

  @Test
  void sendsEveryMessageOnceRetries503sAndRecordsTheAnswers() {
    ScenarioContext context = TestContexts.ndjson(17, 0.02);
    List<SimMessage> messages = new MixScenario().generate(context);
    int port = listen(context);
    SimOptions options = SimOptions.builder().transport(TransportKind.HTTP).httpBaseUrl("http://127.0.0.1:" + port + "/")
      .connections(3).ndjson(true).quiet(true).build();

    SimReport report = Await.result(new StormSimulator(null).run(vertx, options, MessageSource.of(messages)), 60);

    assertTrue(report.complete(), report.toText());
    assertEquals(messages.size(), report.messagesSent(), "a retried message is still one message");
    assertEquals(FIRST_503S, report.retries());
    assertEquals(messages.size() + FIRST_503S, requests.get());
    List<String> sent = new ArrayList<>(messages.stream().map(SimMessage::payloadText).toList());
    List<String> got = new ArrayList<>(received);
    Collections.sort(sent);
    Collections.sort(got);
    assertEquals(sent, got, "the node received exactly the messages, each once");
    assertEquals(messages.stream().filter(m -> m.format() == SimMessage.Format.NDJSON).count(),
      contentTypes.stream().filter("application/x-ndjson"::equals).count());
    // Whatever order the connections delivered in, the node's answers add up to the simulator's accounting.
    assertEquals(report.validAlerts(), report.httpAccepted());
    assertEquals(report.badAlerts(), report.httpRejected());
    assertTrue(report.httpStatus().containsKey(200) && report.httpStatus().containsKey(400), report.httpStatus().toString());
    assertTrue(report.skippedKinds().isEmpty(), "messages given directly: nothing skipped");
    assertTrue(report.toText().contains("HTTP answers"), report.toText());
  }

  @Test
  void countsAreReadLeniently() {
    assertEquals(3, HttpTransport.count(Buffer.buffer("{\"accepted\":3,\"rejected\":[]}"), "accepted"));
    assertEquals(0, HttpTransport.count(Buffer.buffer("{\"accepted\":3,\"rejected\":[]}"), "rejected"));
    assertEquals(2, HttpTransport.count(Buffer.buffer("{\"acceptedCount\":2}"), "accepted"));
    assertEquals(-1, HttpTransport.count(Buffer.buffer("not json"), "accepted"));
    assertEquals(1000, HttpTransport.retryDelayMs("1"));
    assertEquals(50, HttpTransport.retryDelayMs("0"));
    assertEquals(5000, HttpTransport.retryDelayMs("3600"));
    assertEquals(250, HttpTransport.retryDelayMs(null));
  }
}
