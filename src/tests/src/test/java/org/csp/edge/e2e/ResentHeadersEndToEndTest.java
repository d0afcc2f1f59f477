package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.Test;

/**
 * The same header taken twice where the node cannot know it for a resend reaches the DSP as two events, so that the
 * DSP's accounting (each eventId counted once) still holds: one device's header through two hubs, a header sent again
 * after the device's duplicate memory let it go, and one device past the hub's device bound sending a header twice.
 */
class ResentHeadersEndToEndTest {
  private static final String PREFIX = "dsp/north/";
  private static final int HEADERS_PER_DEVICE = 4;
  private static final int DEVICES_PER_HUB = 2;

  private static JsonObject alert(String hub, String device, String code, long counter) {
    return new JsonObject().put("hubId", hub).put("deviceId", device).put("alertCode", code)
        .put("originatorCounter", counter).put("raisedAt", "2026-12-07T08:00:00Z");
  }

  @Test
  void everyAlertTheNodeForwardsIsCountedOnceByTheDsp() throws Exception {
    JsonObject config = TestNodes.config(null);
    config.getJsonObject("policy").put("duplicates", new JsonObject().put("retention", "10m")
        .put("perDevice", HEADERS_PER_DEVICE)).put("maxDevicesPerHub", DEVICES_PER_HUB);
    int httpPort = config.getJsonObject("node").getInteger("httpPort");
    int brokerPort = config.getJsonObject("embeddedBroker").getInteger("port");
    Vertx vertx = Vertx.vertx();
    Node node = TestNodes.start(config);
    try (DspFeed dsp = new DspFeed(vertx, "127.0.0.1", brokerPort, PREFIX + "#")) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      JsonArray alerts = new JsonArray();
      // One device's header through two hubs.
      alerts.add(alert("00-1B-C5-0C-00-00-A1-01", "00-1B-C5-0D-00-00-B1-01", "8F40", 7));
      alerts.add(alert("00-1B-C5-0C-00-00-A1-02", "00-1B-C5-0D-00-00-B1-01", "8F40", 7));
      // A header again after more others than the device's memory holds (spread over codes: no storm).
      for (int i = 0; i <= HEADERS_PER_DEVICE + 1; i++) {
        alerts.add(alert("00-1B-C5-0C-00-00-A2-01", "00-1B-C5-0D-00-00-B2-01", "8F5" + i, 1000 + i));
      }
      alerts.add(alert("00-1B-C5-0C-00-00-A2-01", "00-1B-C5-0D-00-00-B2-01", "8F50", 1000));
      // Devices past the hub's bound: not tracked, so not checked for duplicates; the last sends its header twice.
      for (int i = 0; i <= DEVICES_PER_HUB; i++) {
        alerts.add(alert("00-1B-C5-0C-00-00-A3-01", "00-1B-C5-0D-00-00-B3-0" + i, "8F60", 5));
      }
      alerts.add(alert("00-1B-C5-0C-00-00-A3-01", "00-1B-C5-0D-00-00-B3-0" + DEVICES_PER_HUB, "8F60", 5));
      HttpClient http = HttpClient.newHttpClient();
      // One alert a request: each is an operation of its own, as a head-end's resends would be.
      for (int i = 0; i < alerts.size(); i++) {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/alerts"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alerts.getJsonObject(i).encode()))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
      }
      int sent = alerts.size();
      Await.until(() -> node.status().settled(), Duration.ofSeconds(30), () -> node.status().toJson().encode());
      JsonObject status = node.status().toJson();
      assertEquals(sent, status.getLong("forwarded"), "none of them is a duplicate the node can know: " + status.encode());
      Await.until(() -> dsp.accounting().check(sent).holds(), Duration.ofSeconds(20),
          () -> dsp.accounting().check(sent).toText());
      assertTrue(dsp.accounting().check(sent).holds(), dsp.accounting().check(sent).toText());
    } finally {
      TestNodes.stop(node);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
