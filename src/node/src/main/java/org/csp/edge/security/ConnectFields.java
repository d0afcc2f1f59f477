package org.csp.edge.security;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.mqtt.MqttAuth;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttWill;
import java.util.List;

/**
 * What a connection keeps of its CONNECT for as long as it is open: the client id, the user name and password, the
 * will and (MQTT 5) the properties. MQTT lets each string be 64 KiB, so a CONNECT legal by the protocol could make
 * every idle connection cost a quarter of a megabyte, and a few thousand of them, within the connection limits,
 * exhaust the heap. The node ignores wills and reads credentials of bounded size, so a CONNECT keeping more than
 * {@link #MAX_BYTES} is refused.
 */
final class ConnectFields {
  /**
   * Far above any real head-end's CONNECT (a client id, a user name of at most {@link Credentials#MAX_NAME_CHARS}, a
   * password of at most {@link PasswordHashes#MAX_PASSWORD_BYTES}, a short status will), far below what idle
   * connections at {@code limits.maxMqttConnections} could hold against the heap (10,000 x 8 KiB = 80 MiB).
   */
  static final int MAX_BYTES = 8192;

  private ConnectFields() {}

  /** The bytes the CONNECT's fields keep (strings counted at two bytes a char, as the heap may hold them). */
  static long kept(MqttEndpoint endpoint) {
    long bytes = chars(endpoint.clientIdentifier());
    MqttAuth auth = endpoint.auth();
    if (auth != null) bytes += chars(auth.getUsername()) + chars(auth.getPassword());
    MqttWill will = endpoint.will();
    if (will != null && will.isWillFlag()) {
      bytes += chars(will.getWillTopic());
      byte[] message = will.getWillMessageBytes();
      if (message != null) bytes += message.length;
      bytes += properties(will.getWillProperties());
    }
    return bytes + properties(endpoint.connectProperties());
  }

  static boolean tooLarge(MqttEndpoint endpoint) {
    return kept(endpoint) > MAX_BYTES;
  }

  private static long chars(String s) {
    return s == null ? 0 : 2L * s.length();
  }

  private static long properties(MqttProperties properties) {
    if (properties == null) return 0;
    long bytes = 0;
    for (MqttProperties.MqttProperty<?> p : properties.listAll()) {
      Object v = p.value();
      if (v instanceof String s) bytes += chars(s);
      else if (v instanceof byte[] b) bytes += b.length;
      else if (v instanceof List<?> pairs) {
        for (Object pair : pairs) {
          if (pair instanceof MqttProperties.StringPair sp) bytes += chars(sp.key) + chars(sp.value);
        }
      } else bytes += Integer.BYTES;
    }
    return bytes;
  }
}
