package org.csp.edge.sim;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to run the simulator. Built with {@link #builder()} in code, or {@link #fromArgs(String[])} from
 * the command line ({@code simulate --transport mqtt --scenario gpf-8f3e ...}).
 *
 * @param transport        mqtt or http
 * @param host             the node's MQTT host
 * @param mqttPort         the node's MQTT port
 * @param httpBaseUrl      the node's HTTP base URL; alerts go to {@code {httpBaseUrl}/v1/alerts}
 * @param scenario         a name from {@link Scenarios#names()}
 * @param scale            multiplies the scenario's sizes
 * @param seed             the same seed gives the same messages
 * @param qos              MQTT QoS, 0 or 1
 * @param connections      MQTT connections or HTTP pool size, used in turn
 * @param ratePerSecond    target messages per second, 0 for as fast as the node takes them
 * @param maxPayloadBase64 the node's limit on an alert's payload, which oversized inputs exceed
 * @param maxMessageBytes  the node's limit on a message, which oversized inputs exceed
 * @param quiet            no progress lines
 * @param json             print the report as JSON (command line only)
 * @param ndjson           send batches over HTTP as NDJSON instead of JSON arrays
 * @param maxInflight      unacknowledged QoS 1 messages per MQTT connection (and HTTP requests per connection)
 * @param timeout          the whole run's limit; a node holding PUBACKs under back-pressure must get time
 */
public record SimOptions(TransportKind transport, String host, int mqttPort, String httpBaseUrl, String scenario,
                         double scale, long seed, int qos, int connections, double ratePerSecond,
                         int maxPayloadBase64, int maxMessageBytes, boolean quiet, boolean json, boolean ndjson,
                         int maxInflight, Duration timeout, List<Integer> mqttPorts) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_MQTT_PORT = 1883;
  public static final String DEFAULT_HTTP_BASE_URL = "http://127.0.0.1:8080";
  public static final String DEFAULT_SCENARIO = MixScenario.NAME;
  public static final long DEFAULT_SEED = 42;
  public static final int DEFAULT_QOS = 1;
  public static final int DEFAULT_CONNECTIONS = 4;
  public static final int DEFAULT_MAX_INFLIGHT = 32;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private static final List<String> VALUED_FLAGS = List.of("--transport", "--host", "--mqtt-port",
    "--http", "--scenario", "--scale", "--seed", "--qos", "--connections", "--rate", "--max-payload-base64",
    "--max-message-bytes", "--inflight", "--timeout");

  public SimOptions {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(httpBaseUrl, "httpBaseUrl");
    Objects.requireNonNull(timeout, "timeout");
    Scenarios.byName(scenario);
    check(mqttPort > 0 && mqttPort < 65536, "--mqtt-port must be between 1 and 65535, got " + mqttPort);
    mqttPorts = mqttPorts == null || mqttPorts.isEmpty() ? List.of(mqttPort) : List.copyOf(mqttPorts);
    for (int p : mqttPorts) check(p > 0 && p < 65536, "--mqtt-port must be between 1 and 65535, got " + p);
    check(httpBaseUrl.startsWith("http://") || httpBaseUrl.startsWith("https://"),
      "--http must be an http:// or https:// URL, got '" + httpBaseUrl + "'");
    check(scale > 0 && !Double.isInfinite(scale), "--scale must be a positive number, got " + scale);
    check(qos == 0 || qos == 1, "--qos must be 0 or 1, got " + qos);
    check(connections >= 1, "--connections must be at least 1, got " + connections);
    check(ratePerSecond >= 0 && !Double.isInfinite(ratePerSecond), "--rate must be 0 (unlimited) or more, got " + ratePerSecond);
    check(maxPayloadBase64 >= 8, "--max-payload-base64 must be at least 8, got " + maxPayloadBase64);
    check(maxMessageBytes >= 1024, "--max-message-bytes must be at least 1024, got " + maxMessageBytes);
    check(maxInflight >= 1 && maxInflight <= 65535, "--inflight must be between 1 and 65535, got " + maxInflight);
    check(!timeout.isNegative() && !timeout.isZero(), "--timeout must be positive, got " + timeout);
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public static SimOptions defaults() {
    return builder().build();
  }

  /**
   * Parses a command line ({@code --flag value} or {@code --flag=value}) as {@code simulate} does: picocli's grammar,
   * then the values.
   *
   * @throws IllegalArgumentException naming the flag, for an unknown flag, a missing or bad value, or an
   *                                  unknown scenario
   */
  public static SimOptions fromArgs(String[] args) {
    return SimulateCommand.parse(args);
  }

  /** The values of flags that picocli has matched ({@code --flag value}, {@code --flag}, {@code --flag=value}). */
  static SimOptions fromMatched(String[] args) {
    Builder b = builder();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "' (flags start with --; see --help)");
      }
      String flag = arg;
      String inlineValue = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        flag = arg.substring(0, eq);
        inlineValue = arg.substring(eq + 1);
      }
      if (flag.equals("--json") || flag.equals("--quiet") || flag.equals("--ndjson")) {
        boolean on = inlineValue == null || Boolean.parseBoolean(inlineValue);
        switch (flag) {
          case "--json" -> b.json(on);
          case "--quiet" -> b.quiet(on);
          default -> b.ndjson(on);
        }
        continue;
      }
      if (!VALUED_FLAGS.contains(flag)) {
        throw new IllegalArgumentException("unknown flag '" + flag + "' (known: " + VALUED_FLAGS + ", --json, --quiet, --ndjson)");
      }
      String value = inlineValue;
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("flag " + flag + " needs a value");
        }
        value = args[++i];
      }
      apply(b, flag, value);
    }
    return b.build();
  }

  private static void apply(Builder b, String flag, String value) {
    try {
      switch (flag) {
        case "--transport" -> b.transport(TransportKind.parse(value));
        case "--host" -> b.host(value);
        // Several ports (a local cluster): the connections are spread over them in turn.
        case "--mqtt-port" -> b.mqttPorts(java.util.Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList());
        case "--http" -> b.httpBaseUrl(value);
        case "--scenario" -> b.scenario(Scenarios.byName(value).name());
        case "--scale" -> b.scale(Double.parseDouble(value));
        case "--seed" -> b.seed(Long.parseLong(value));
        case "--qos" -> b.qos(Integer.parseInt(value));
        case "--connections" -> b.connections(Integer.parseInt(value));
        case "--rate" -> b.ratePerSecond(Double.parseDouble(value));
        case "--max-payload-base64" -> b.maxPayloadBase64(Integer.parseInt(value));
        case "--max-message-bytes" -> b.maxMessageBytes(Integer.parseInt(value));
        case "--inflight" -> b.maxInflight(Integer.parseInt(value));
        case "--timeout" -> b.timeout(Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000)));
        default -> throw new IllegalArgumentException("unknown flag '" + flag + "'");
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("flag " + flag + " needs a number, got '" + value + "'");
    }
  }

  /** Fluent construction with the defaults of the command line. */
  public static final class Builder {
    private TransportKind transport = TransportKind.MQTT;
    private String host = DEFAULT_HOST;
    private int mqttPort = DEFAULT_MQTT_PORT;
    private String httpBaseUrl = DEFAULT_HTTP_BASE_URL;
    private String scenario = DEFAULT_SCENARIO;
    private double scale = 1.0;
    private long seed = DEFAULT_SEED;
    private int qos = DEFAULT_QOS;
    private int connections = DEFAULT_CONNECTIONS;
    private double ratePerSecond;
    private int maxPayloadBase64 = ScenarioContext.DEFAULT_MAX_PAYLOAD_BASE64;
    private int maxMessageBytes = ScenarioContext.DEFAULT_MAX_MESSAGE_BYTES;
    private boolean quiet;
    private boolean json;
    private boolean ndjson;
    private int maxInflight = DEFAULT_MAX_INFLIGHT;
    private Duration timeout = DEFAULT_TIMEOUT;
    private List<Integer> mqttPorts = List.of();

    private Builder() {
    }

    private Builder(SimOptions o) {
      transport = o.transport;
      host = o.host;
      mqttPort = o.mqttPort;
      httpBaseUrl = o.httpBaseUrl;
      scenario = o.scenario;
      scale = o.scale;
      seed = o.seed;
      qos = o.qos;
      connections = o.connections;
      ratePerSecond = o.ratePerSecond;
      maxPayloadBase64 = o.maxPayloadBase64;
      maxMessageBytes = o.maxMessageBytes;
      quiet = o.quiet;
      json = o.json;
      ndjson = o.ndjson;
      maxInflight = o.maxInflight;
      timeout = o.timeout;
      mqttPorts = o.mqttPorts;
    }

    public Builder transport(TransportKind v) { transport = v; return this; }
    public Builder host(String v) { host = v; return this; }
    public Builder mqttPort(int v) { mqttPort = v; mqttPorts = List.of(); return this; }
    /** Several nodes' MQTT ports: connection i goes to port i modulo their number. */
    public Builder mqttPorts(List<Integer> v) { mqttPort = v.get(0); mqttPorts = List.copyOf(v); return this; }
    public Builder httpBaseUrl(String v) { httpBaseUrl = v; return this; }
    public Builder scenario(String v) { scenario = v; return this; }
    public Builder scale(double v) { scale = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder qos(int v) { qos = v; return this; }
    public Builder connections(int v) { connections = v; return this; }
    public Builder ratePerSecond(double v) { ratePerSecond = v; return this; }
    public Builder maxPayloadBase64(int v) { maxPayloadBase64 = v; return this; }
    public Builder maxMessageBytes(int v) { maxMessageBytes = v; return this; }
    public Builder quiet(boolean v) { quiet = v; return this; }
    public Builder json(boolean v) { json = v; return this; }
    public Builder ndjson(boolean v) { ndjson = v; return this; }
    public Builder maxInflight(int v) { maxInflight = v; return this; }
    public Builder timeout(Duration v) { timeout = v; return this; }

    public SimOptions build() {
      return new SimOptions(transport, host, mqttPort, httpBaseUrl, scenario, scale, seed, qos, connections,
        ratePerSecond, maxPayloadBase64, maxMessageBytes, quiet, json, ndjson, maxInflight, timeout, mqttPorts);
    }
  }
}
