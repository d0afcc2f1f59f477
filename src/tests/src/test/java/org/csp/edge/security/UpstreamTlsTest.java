package org.csp.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.support.Await;
import org.csp.edge.support.Mosquitto;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The link to the DSP's broker over TLS: a real Mosquitto that requires TLS, a client certificate and a password.
 * The node trusts the broker's CA, shows its certificate, takes its password from the environment, and delivers;
 * with another CA to trust it never connects, and the node carries on (outbox, back-pressure) meanwhile.
 */
class UpstreamTlsTest {
  private static final String PASSWORD = "upstream-secret-pw";
  private static Mosquitto broker;
  private static TestPki pki;
  private static TestPki.Issued ca;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    Mosquitto.require("a broker requiring TLS, a client certificate and a password_file");
    vertx = Vertx.vertx();
    pki = new TestPki();
    ca = pki.ca("dsp-ca");
    TestPki.Issued server = pki.server(ca, "dsp-broker");
    Path passwords = pki.dir().resolve("mosquitto-passwords");
    Process p = new ProcessBuilder("mosquitto_passwd", "-c", "-b", passwords.toString(), "csp-north", PASSWORD)
        .redirectErrorStream(true).start();
    assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
    broker = new Mosquitto(List.of(
        "cafile " + ca.certFile(), "certfile " + server.certFile(), "keyfile " + server.keyFile(),
        "require_certificate true", "allow_anonymous false", "password_file " + passwords)).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (broker != null) broker.close();
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Node node(TestPki.Issued trust, TestPki.Issued clientCert) throws Exception {
    JsonObject config = TestNodes.config("ssl://127.0.0.1:" + broker.port());
    config.getJsonObject("upstream").put("username", "csp-north");
    config.put("security", new JsonObject().put("upstream", new JsonObject().put("caFile", trust.certFile().toString())
        .put("certFile", clientCert.certFile().toString()).put("keyFile", clientCert.keyFile().toString())));
    Map<String, String> env = Map.of(ConfigLoader.ENV_UPSTREAM_PASSWORD, PASSWORD);
    return Node.start(ConfigLoader.fromJson(config, env)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static void post(Node node, long counter) throws Exception {
    HttpClient http = vertx.createHttpClient();
    JsonObject alert = new JsonObject().put("hubId", "00-1B-C5-0C-00-00-40-01").put("deviceId", "00-1B-C5-0C-00-00-40-02")
        .put("alertCode", "8F0F").put("originatorCounter", counter).put("raisedAt", Instant.now().toString());
    int status = http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(node.httpPort())
            .setURI("/v1/alerts").putHeader("Content-Type", "application/json"))
        .compose(r -> r.send(Buffer.buffer(alert.encode()))).map(r -> r.statusCode())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(200, status);
  }

  @Test
  void theNodeDeliversOverTlsWithItsCertificateAndPassword() throws Exception {
    Node node = node(ca, pki.client(ca, "csp-edge-north"));
    try {
      Await.until(() -> node.status().toJson().getBoolean("upstreamConnected"), Duration.ofSeconds(10),
          () -> "not connected: " + node.status().toJson().encode());
      post(node, 1);
      Await.until(() -> node.status().toJson().getJsonObject("events").getLong("delivered") >= 1, Duration.ofSeconds(10),
          () -> "the broker did not acknowledge: " + node.status().toJson().encode());
      assertFalse(node.status().toJson().encode().contains(PASSWORD));
    } finally {
      TestNodes.stop(node);
    }
  }

  @Test
  void aBrokerCertificateFromAnotherCaIsNeverTrusted() throws Exception {
    TestPki.Issued otherCa = pki.ca("other-ca");
    Node node = node(otherCa, pki.client(ca, "csp-edge-north"));
    try {
      post(node, 2);
      Thread.sleep(1500);
      JsonObject status = node.status().toJson();
      assertFalse(status.getBoolean("upstreamConnected"), status.encode());
      assertEquals(0L, status.getJsonObject("events").getLong("delivered"));
      assertEquals(1L, status.getLong("outboxDepth"), "the event waits in the outbox");
    } finally {
      TestNodes.stop(node);
    }
  }
}
