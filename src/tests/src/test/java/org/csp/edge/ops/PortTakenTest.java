package org.csp.edge.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.Test;

/**
 * A port another process holds fails the start with a message that says which listener and which setting: before, the
 * message was "Address already in use" alone, and an operator had to guess among the MQTT, HTTP and broker ports.
 */
class PortTakenTest {

  @Test
  void aTakenPortIsNamedWithItsSetting() throws Exception {
    for (String[] listener : List.of(new String[] {"node", "mqttPort", "the MQTT intake", "NODE_MQTT_PORT"},
        new String[] {"node", "httpPort", "the HTTP API", "NODE_HTTP_PORT"},
        new String[] {"embeddedBroker", "port", "the embedded broker", "NODE_EMBEDDED_BROKER_PORT"})) {
      JsonObject config = TestNodes.config(null);
      int port = config.getJsonObject(listener[0]).getInteger(listener[1]);
      try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> TestNodes.stop(TestNodes.start(config)),
            listener[2] + " started on a taken port");
        String message = String.valueOf(failed.getCause().getMessage());
        assertTrue(message.contains(listener[2] + " cannot listen on 127.0.0.1:" + port), message);
        assertTrue(message.contains(listener[3]), message);
      }
    }
  }
}
