package org.csp.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttConnectionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A flood of wrong passwords from one address: past its allowance of failed checks it is refused at once, without
 * a password check and without a place among the pending logins, while a good client from another address logs in.
 */
class LoginFloodTest {
  private static final String PASSWORD = "the-right-password";
  private static final int ALLOWANCE = 5;
  private static final int FLOOD = 40;
  private static final String FLOODER = "127.0.0.1";
  private static final String NEIGHBOUR = "127.0.0.2";

  private static Vertx vertx;
  private static Node node;
  private static int mqttPort;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Path credentials = Files.createTempFile("mqtt-credentials", "");
    Files.write(credentials, List.of("meter-head-end:" + PasswordHashes.hash(PASSWORD.toCharArray(), PasswordHashes.MIN_COST)));
    JsonObject config = TestNodes.config(null);
    config.put("security", new JsonObject().put("mqtt", new JsonObject().put("credentialsFile", credentials.toString())
        .put("loginThreads", 1).put("failedLoginsPerAddress", ALLOWANCE).put("failedLoginWindow", "10m")));
    mqttPort = config.getJsonObject("node").getInteger("mqttPort");
    node = TestNodes.start(config);
  }

  @AfterAll
  static void stop() throws Exception {
    TestNodes.stop(node);
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Future<MqttConnectReturnCode> connect(String from, String password, int n) {
    MqttClientOptions o = new MqttClientOptions().setClientId("flood-" + n).setUsername("meter-head-end")
        .setPassword(password);
    o.setLocalAddress(from);
    o.setConnectTimeout(5000);
    MqttClient c = MqttClient.create(vertx, o);
    return c.connect(mqttPort, "127.0.0.1").map(ack -> {
      c.disconnect();
      return ack.code();
    }).recover(e -> Future.succeededFuture(
        assertInstanceOf(MqttConnectionException.class, e, () -> "a CONNACK refusal, got " + e).code()));
  }

  private static long refused(String reason) {
    return node.status().toJson().getJsonObject("security").getJsonObject("mqtt").getJsonObject("refused").getLong(reason, 0L);
  }

  @Test
  void aFloodFromOneAddressIsRefusedBeforeAnyCheckAndAGoodClientElsewhereStillLogsIn() throws Exception {
    List<Future<MqttConnectReturnCode>> flood = new ArrayList<>();
    for (int i = 0; i < FLOOD; i++) flood.add(connect(FLOODER, "wrong-" + i, i));
    Map<MqttConnectReturnCode, Integer> codes = new HashMap<>();
    for (MqttConnectReturnCode code : Future.all(flood).map(cf -> cf.<MqttConnectReturnCode>list())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)) {
      codes.merge(code, 1, Integer::sum);
    }
    assertEquals(Map.of(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, ALLOWANCE,
        MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, FLOOD - ALLOWANCE), codes,
        "only the address's allowance of failed checks is ever checked");
    assertEquals(FLOOD - ALLOWANCE, refused("login_throttled"));
    assertEquals(ALLOWANCE, refused("bad_credentials"));
    assertEquals(0, refused("login_backlog"), "the flood never filled the queue of password checks");

    assertEquals(MqttConnectReturnCode.CONNECTION_ACCEPTED, connect(NEIGHBOUR, PASSWORD, FLOOD)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS), "a good client from another address");
    assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, connect(FLOODER, "wrong-again", FLOOD + 1)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS), "the flooding address stays refused");
    assertTrue(refused("login_throttled") > FLOOD - ALLOWANCE);
  }
}
