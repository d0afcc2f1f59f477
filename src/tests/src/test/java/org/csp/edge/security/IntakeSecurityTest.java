package org.csp.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttConnectionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.support.Await;
import org.csp.edge.support.LogCapture;
import org.csp.edge.support.OneContextHttpClient;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node with TLS on both intakes, a credentials file, a tokens file and a client CA, as a region would run it:
 * TLS handshakes with the right and the wrong certificates, password and certificate logins that succeed and fail,
 * topics, subscriptions and hubs outside what a client may use, the HTTP roles; and no secret in logs or status.
 */
class IntakeSecurityTest {
  private static final String HUB_1001 = "00-1B-C5-0C-00-00-10-01";
  private static final String HUB_1002 = "00-1B-C5-0C-00-00-10-02";
  private static final String FOREIGN_HUB = "00-1B-C5-0D-00-00-10-09";
  private static final String HEADEND_PASSWORD = "correct horse battery staple";
  private static final String HUB_PASSWORD = "hub-1001-pw";
  private static final String WRONG_PASSWORD = "not-the-password-at-all";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Vertx vertx;
  private static Node node;
  private static TestPki pki;
  private static TestPki.Issued ca;
  private static TestPki.Issued rogueCa;
  private static int mqttPort;
  private static int httpPort;
  private static String clientToken;
  private static String adminToken;
  private static String hubToken;
  private static OneContextHttpClient trusting;
  private static LogCapture logs;

  @BeforeAll
  static void start() throws Exception {
    logs = LogCapture.everything();
    vertx = Vertx.vertx();
    pki = new TestPki();
    ca = pki.ca("csp-test-ca");
    rogueCa = pki.ca("rogue-ca");
    TestPki.Issued server = pki.server(ca, "csp-edge-node");

    Path credentials = pki.dir().resolve("mqtt-credentials");
    Files.write(credentials, List.of(
        "# test clients",
        "headend-1:" + PasswordHashes.hash(HEADEND_PASSWORD.toCharArray(), PasswordHashes.MIN_COST),
        "hub-1001:" + PasswordHashes.hash(HUB_PASSWORD.toCharArray(), PasswordHashes.MIN_COST) + ":" + HUB_1001,
        "headend-north:!:00-1B-C5-0C-*"));
    clientToken = HttpTokens.newToken();
    adminToken = HttpTokens.newToken();
    hubToken = HttpTokens.newToken();
    Path tokens = pki.dir().resolve("http-tokens");
    Files.write(tokens, List.of("ci:client:" + HttpTokens.digest(clientToken), "ops:admin:" + HttpTokens.digest(adminToken),
        "hub-1001:client:" + HttpTokens.digest(hubToken) + ":" + HUB_1001));

    JsonObject config = TestNodes.config(null);
    config.put("limits", new JsonObject().put("maxClientIdLength", 40));
    config.put("security", new JsonObject()
        .put("tls", new JsonObject().put("certFile", server.certFile().toString()).put("keyFile", server.keyFile().toString())
            .put("clientCaFile", ca.certFile().toString()))
        .put("mqtt", new JsonObject().put("credentialsFile", credentials.toString()))
        .put("http", new JsonObject().put("tokensFile", tokens.toString())));
    mqttPort = config.getJsonObject("node").getInteger("mqttPort");
    httpPort = config.getJsonObject("node").getInteger("httpPort");
    node = TestNodes.start(config);
    trusting = http(ca, null);
  }

  @AfterAll
  static void stop() throws Exception {
    logs.close();
    TestNodes.stop(node);
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  // ---- MQTT ----

  private static MqttClientOptions mqttOptions(TestPki.Issued trust, TestPki.Issued clientCert) {
    MqttClientOptions o = new MqttClientOptions().setClientId("t-" + System.nanoTime() % 1_000_000_000L).setSsl(true);
    o.setHostnameVerificationAlgorithm("HTTPS");
    o.setConnectTimeout(5000);
    if (trust != null) o.setTrustOptions(new PemTrustOptions().addCertPath(trust.certFile().toString()));
    if (clientCert != null) {
      o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(clientCert.certFile().toString())
          .setKeyPath(clientCert.keyFile().toString()));
    }
    return o;
  }

  private static MqttClient connect(MqttClientOptions options) throws Exception {
    MqttClient c = MqttClient.create(vertx, options);
    await(c.connect(mqttPort, "127.0.0.1"));
    return c;
  }

  /** The failure of a connect, unwrapped. */
  private static Throwable refusal(MqttClientOptions options) {
    MqttClient c = MqttClient.create(vertx, options);
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(c.connect(mqttPort, "127.0.0.1")));
    return e.getCause();
  }

  private static MqttConnectReturnCode code(Throwable t) {
    return assertInstanceOf(MqttConnectionException.class, t, () -> "a CONNACK refusal, got " + t).code();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonObject alert(String hub, long counter) {
    return new JsonObject().put("hubId", hub).put("deviceId", "00-1B-C5-0C-00-00-20-02").put("deviceType", "ESME")
        .put("alertCode", "8F0F").put("originatorCounter", counter).put("raisedAt", Instant.now().toString());
  }

  private static JsonObject status() {
    return node.status().toJson();
  }

  private static long rejected(String reason) {
    return status().getJsonObject("rejectedByReason").getLong(reason, 0L);
  }

  private static long refused(String intake, String reason) {
    return status().getJsonObject("security").getJsonObject(intake).getJsonObject("refused").getLong(reason, 0L);
  }

  /** Publishes with QoS 1 and waits for the PUBACK: the message is accounted for. */
  private static void publishAcked(MqttClient c, String topic, Buffer payload) throws Exception {
    Set<Integer> acked = ConcurrentHashMap.newKeySet();
    c.publishCompletionHandler(acked::add);
    int id = await(c.publish(topic, payload, MqttQoS.AT_LEAST_ONCE, false, false));
    Await.until(() -> acked.contains(id), WAIT, () -> "no PUBACK for " + topic);
  }

  @Test
  void mqttTlsHandshakeSucceedsWithTheNodesCaAndFailsWithAnotherOrWithoutTls() throws Exception {
    MqttClient ok = connect(mqttOptions(ca, null).setUsername("headend-1").setPassword(HEADEND_PASSWORD));
    assertTrue(ok.isConnected());
    await(ok.disconnect());

    Throwable untrusted = refusal(mqttOptions(rogueCa, null).setUsername("headend-1").setPassword(HEADEND_PASSWORD));
    assertFalse(untrusted instanceof MqttConnectionException, "no CONNACK at all: the handshake failed, " + untrusted);

    MqttClientOptions plain = new MqttClientOptions().setClientId("plain").setUsername("headend-1").setPassword(HEADEND_PASSWORD);
    plain.setConnectTimeout(3000);
    MqttClient c = MqttClient.create(vertx, plain);
    assertThrows(ExecutionException.class, () -> await(c.connect(mqttPort, "127.0.0.1")), "plain MQTT to the TLS port");
  }

  @Test
  void passwordLoginsSucceedOnlyWithTheRightPasswordAndNeverLogIt() throws Exception {
    long badBefore = refused("mqtt", "bad_credentials");
    long noneBefore = refused("mqtt", "no_credentials");

    MqttClient ok = connect(mqttOptions(ca, null).setUsername("headend-1").setPassword(HEADEND_PASSWORD));
    assertTrue(ok.isConnected());
    await(ok.disconnect());
    // Again: this time from the login cache, same answer.
    MqttClient again = connect(mqttOptions(ca, null).setUsername("headend-1").setPassword(HEADEND_PASSWORD));
    await(again.disconnect());

    assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
        code(refusal(mqttOptions(ca, null).setUsername("headend-1").setPassword(WRONG_PASSWORD))));
    assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
        code(refusal(mqttOptions(ca, null).setUsername("nobody").setPassword(WRONG_PASSWORD))), "unknown user: same answer");
    assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
        code(refusal(mqttOptions(ca, null).setUsername("headend-north").setPassword(WRONG_PASSWORD))),
        "a certificate-only client has no password");
    assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, code(refusal(mqttOptions(ca, null))),
        "no credentials and no certificate");

    assertEquals(badBefore + 3, refused("mqtt", "bad_credentials"));
    assertEquals(noneBefore + 1, refused("mqtt", "no_credentials"));
    assertNoSecretAnywhere();
  }

  @Test
  void clientCertificatesLogInAndAnUntrustedOneDoesNot() throws Exception {
    TestPki.Issued headEnd = pki.client(ca, "headend-north");
    MqttClient c = connect(mqttOptions(ca, headEnd));
    assertTrue(c.isConnected(), "no user name: the certificate is the login");
    long forwarded = status().getLong("forwarded");
    publishAcked(c, "alerts", new JsonArray().add(alert("00-1B-C5-0C-00-00-30-05", 9101)).toBuffer());
    assertEquals(forwarded + 1, status().getLong("forwarded"), "a hub within its binding 00-1B-C5-0C-*");
    long notAllowed = rejected("hub_not_allowed");
    publishAcked(c, "alerts/" + FOREIGN_HUB, alert(FOREIGN_HUB, 9102).toBuffer());
    assertEquals(notAllowed + 1, rejected("hub_not_allowed"), "a hub outside its binding");
    await(c.disconnect());

    // A certificate of another CA, same name: the node asks only for certificates of its client CA, so the client
    // has none to show (or, if it showed it, the handshake would fail): either way no login.
    TestPki.Issued intruder = pki.client(rogueCa, "headend-north");
    Throwable refused = refusal(mqttOptions(ca, intruder));
    assertTrue(!(refused instanceof MqttConnectionException)
        || ((MqttConnectionException) refused).code() == MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, refused.toString());
  }

  @Test
  void publishesAndSubscribesOutsideAlertsAreRefusedAndCounted() throws Exception {
    MqttClient c = connect(mqttOptions(ca, null).setUsername("headend-1").setPassword(HEADEND_PASSWORD));
    long badTopic = rejected("bad_topic");
    publishAcked(c, "dsp/north/alert/8F0F", alert(HUB_1001, 9201).toBuffer());
    publishAcked(c, "$SYS/broker", alert(HUB_1001, 9202).toBuffer());
    assertEquals(badTopic + 2, rejected("bad_topic"));

    long subscribes = refused("mqtt", "subscribe");
    List<Integer> granted = new java.util.concurrent.CopyOnWriteArrayList<>();
    c.subscribeCompletionHandler(ack -> granted.addAll(ack.grantedQoSLevels()));
    await(c.subscribe("dsp/#", 1));
    Await.until(() -> !granted.isEmpty(), WAIT, () -> "no SUBACK");
    assertEquals(List.of(MqttQoS.FAILURE.value()), granted, "the node is not a broker");
    assertEquals(subscribes + 1, refused("mqtt", "subscribe"));
    assertTrue(c.isConnected(), "one refusal does not drop the client");
    await(c.disconnect());
  }

  @Test
  void aClientBoundToAHubMaySendOnlyForThatHub() throws Exception {
    MqttClient c = connect(mqttOptions(ca, null).setUsername("hub-1001").setPassword(HUB_PASSWORD));
    long received = status().getLong("received");
    long notAllowed = rejected("hub_not_allowed");
    publishAcked(c, "alerts", new JsonArray().add(alert(HUB_1001, 9301)).add(alert(HUB_1002, 9302)).toBuffer());
    assertEquals(received + 2, status().getLong("received"));
    assertEquals(notAllowed + 1, rejected("hub_not_allowed"), "the other hub's alert, on its own");
    await(c.disconnect());
  }

  @Test
  void anOverlongClientIdIsRefused() throws Exception {
    long before = refused("mqtt", "client_id");
    MqttClientOptions o = mqttOptions(ca, null).setUsername("headend-1").setPassword(HEADEND_PASSWORD).setClientId("x".repeat(41));
    assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, code(refusal(o)));
    assertEquals(before + 1, refused("mqtt", "client_id"));
    // MQTT 3.1.1, 1.5.3: no U+0000 in a string; other controls refused as well (they would go into the logs as they are).
    // U+FFFD: what the decoder makes of ill-formed bytes (a lone surrogate, 0xFF), so two ids could read as one.
    for (String id : new String[] {"hub\u0000x", "hub\nx", "hub\u001b[2J", "hub\ufffdx"}) {
      MqttClientOptions bad = mqttOptions(ca, null).setUsername("headend-1").setPassword(HEADEND_PASSWORD).setClientId(id);
      assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, code(refusal(bad)), id);
    }
    assertEquals(before + 5, refused("mqtt", "client_id"));
  }

  // ---- HTTP ----

  private static OneContextHttpClient http(TestPki.Issued trust, TestPki.Issued clientCert) {
    HttpClientOptions o = new HttpClientOptions().setSsl(true).setVerifyHost(true).setConnectTimeout(5000)
        .setTrustOptions(new PemTrustOptions().addCertPath(trust.certFile().toString()));
    if (clientCert != null) {
      o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(clientCert.certFile().toString()).setKeyPath(clientCert.keyFile().toString()));
    }
    return new OneContextHttpClient(vertx, o);
  }

  private record Answer(int status, String body) {}

  private static Answer call(OneContextHttpClient client, HttpMethod method, String path, String token, Buffer body) throws Exception {
    RequestOptions r = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(httpPort).setURI(path);
    if (token != null) r.putHeader("Authorization", "Bearer " + token);
    if (body != null) r.putHeader("Content-Type", "application/json");
    return client.call(c -> c.request(r).compose(req -> (body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b.toString()))))).get(10, TimeUnit.SECONDS);
  }

  @Test
  void httpCallersNeedATokenOrACertificateAndChangesNeedAdmin() throws Exception {
    long unauthenticated = refused("http", "unauthenticated");
    Buffer one = alert(HUB_1001, 9401).toBuffer();
    assertEquals(401, call(trusting, HttpMethod.POST, "/v1/alerts", null, one).status());
    assertEquals(401, call(trusting, HttpMethod.GET, "/v1/status", "not-a-token", null).status());
    assertEquals(unauthenticated + 2, refused("http", "unauthenticated"));

    Answer taken = call(trusting, HttpMethod.POST, "/v1/alerts", clientToken, one);
    assertEquals(200, taken.status(), taken.body());
    assertEquals(1, new JsonObject(taken.body()).getInteger("accepted"));
    assertEquals(200, call(trusting, HttpMethod.GET, "/v1/status", clientToken, null).status());
    assertEquals(200, call(trusting, HttpMethod.GET, "/v1/policy", clientToken, null).status());

    // Whatever changes the node needs the admin role; the check comes before the route (none exists yet here).
    assertEquals(403, call(trusting, HttpMethod.PUT, "/v1/policy", clientToken, Buffer.buffer("{}")).status());
    assertEquals(403, call(trusting, HttpMethod.DELETE, "/v1/silences/x", clientToken, null).status());
    int asAdmin = call(trusting, HttpMethod.PUT, "/v1/policy", adminToken, Buffer.buffer("{}")).status();
    assertNotEquals(401, asAdmin);
    assertNotEquals(403, asAdmin);

    // Probes and the scrape stay open: the kubelet and Prometheus have no token.
    assertEquals(200, call(trusting, HttpMethod.GET, "/health/live", null, null).status());
    assertEquals(200, call(trusting, HttpMethod.GET, "/metrics", null, null).status());
    assertEquals(401, call(trusting, HttpMethod.GET, "/health/../v1/status", null, null).status(), "no way round by path");
  }

  @Test
  void anHttpCallerBoundToAHubMaySendOnlyForThatHubAsOnMqtt() throws Exception {
    long received = status().getLong("received");
    long notAllowed = rejected("hub_not_allowed");
    Answer a = call(trusting, HttpMethod.POST, "/v1/alerts", hubToken,
        new JsonArray().add(alert(HUB_1001, 9501)).add(alert(HUB_1002, 9502)).add(alert(FOREIGN_HUB, 9503)).toBuffer());
    assertEquals(200, a.status(), a.body());
    JsonObject answer = new JsonObject(a.body());
    assertEquals(1, answer.getInteger("accepted"), a.body());
    assertEquals(2, answer.getInteger("rejected"), a.body());
    assertTrue(a.body().contains("hub_not_allowed"), a.body());
    assertEquals(received + 3, status().getLong("received"));
    assertEquals(notAllowed + 2, rejected("hub_not_allowed"), "the other hubs' alerts, each on its own");
  }

  @Test
  void httpsHandshakesAndClientCertificates() throws Exception {
    OneContextHttpClient withCert = http(ca, pki.client(ca, "headend-south"));
    assertEquals(200, call(withCert, HttpMethod.GET, "/v1/status", null, null).status(), "the certificate is the login");

    long handshakes = refused("http", "tls_handshake");
    OneContextHttpClient untrusting = http(rogueCa, null);
    assertThrows(ExecutionException.class, () -> call(untrusting, HttpMethod.GET, "/health/live", null, null));
    OneContextHttpClient rogueCert = http(ca, pki.client(rogueCa, "intruder"));
    assertEquals(401, call(rogueCert, HttpMethod.GET, "/v1/status", null, null).status(), "another CA's certificate is no login");
    OneContextHttpClient plain = new OneContextHttpClient(vertx, new HttpClientOptions().setConnectTimeout(3000));
    assertThrows(ExecutionException.class, () -> call(plain, HttpMethod.GET, "/health/live", null, null));
    Await.until(() -> refused("http", "tls_handshake") >= handshakes + 2, WAIT, () -> status().encode());
  }

  @Test
  void metricsCountRefusalsByReasonWithoutNamesOrSecrets() throws Exception {
    refusal(mqttOptions(ca, null).setUsername("headend-1").setPassword(WRONG_PASSWORD));
    String metrics = call(trusting, HttpMethod.GET, "/metrics", null, null).body();
    assertTrue(metrics.contains("csp_security_refused_total{intake=\"mqtt\",node="), metrics.lines().filter(l -> l.contains("csp_security")).toList().toString());
    assertTrue(metrics.lines().anyMatch(l -> l.startsWith("csp_security_refused_total") && l.contains("reason=\"bad_credentials\"")
        && !l.endsWith(" 0.0")));
    assertTrue(metrics.contains("csp_connections{intake=\"mqtt\""));
    assertTrue(metrics.contains("csp_mqtt_logins_total{method=\"password\""));
    assertFalse(metrics.contains("headend-1"), "no user names as labels");
    assertNoSecretAnywhere();
    assertFalse(metrics.contains(WRONG_PASSWORD) || metrics.contains(clientToken));
  }

  private static void assertNoSecretAnywhere() {
    String status = status().encode();
    List<ILoggingEvent> logged = logs.events();
    for (String secret : List.of(HEADEND_PASSWORD, HUB_PASSWORD, WRONG_PASSWORD, clientToken, adminToken)) {
      assertFalse(status.contains(secret), "status API holds a secret");
      for (ILoggingEvent e : logged) {
        assertFalse(e.getFormattedMessage().contains(secret), "a log line holds a secret: " + e.getFormattedMessage());
      }
    }
    assertTrue(logged.stream().anyMatch(e -> e.getFormattedMessage().contains("refused")), "refusals are logged");
  }
}
