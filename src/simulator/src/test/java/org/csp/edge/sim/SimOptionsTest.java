package org.csp.edge.sim;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimOptionsTest {

  @Test
  void parsesEveryFlag() {
    SimOptions o = SimOptions.fromArgs(new String[] {"--transport", "http", "--host", "10.0.0.5", "--mqtt-port", "11883",
      "--http", "http://node:9090/", "--scenario", "gpf-8f3e", "--scale", "0.5", "--seed", "7", "--qos", "0",
      "--connections", "2", "--rate", "250", "--json", "--quiet", "--ndjson", "--max-payload-base64", "1024",
      "--max-message-bytes=65536", "--inflight", "8", "--timeout", "90"});
    assertEquals(TransportKind.HTTP, o.transport());
    assertEquals("10.0.0.5", o.host());
    assertEquals(11883, o.mqttPort());
    assertEquals("http://node:9090/", o.httpBaseUrl());
    assertEquals("gpf-8f3e", o.scenario());
    assertEquals(0.5, o.scale());
    assertEquals(7, o.seed());
    assertEquals(0, o.qos());
    assertEquals(2, o.connections());
    assertEquals(250.0, o.ratePerSecond());
    assertTrue(o.json() && o.quiet() && o.ndjson());
    assertEquals(1024, o.maxPayloadBase64());
    assertEquals(65536, o.maxMessageBytes());
    assertEquals(8, o.maxInflight());
    assertEquals(Duration.ofSeconds(90), o.timeout());
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    SimOptions o = SimOptions.fromArgs(new String[0]);
    assertEquals(TransportKind.MQTT, o.transport());
    assertEquals("127.0.0.1", o.host());
    assertEquals(1883, o.mqttPort());
    assertEquals("http://127.0.0.1:8080", o.httpBaseUrl());
    assertEquals(1.0, o.scale());
    assertEquals(1, o.qos());
    assertEquals(4, o.connections());
    assertEquals(0.0, o.ratePerSecond());
    assertEquals(16384, o.maxPayloadBase64());
    assertEquals(1048576, o.maxMessageBytes());
    assertEquals(Duration.ofMinutes(5), o.timeout());
    assertFalse(o.json() || o.quiet() || o.ndjson());
  }

  @Test
  void rejectsUnknownFlagsAndScenariosClearly() {
    IllegalArgumentException flag = assertThrows(IllegalArgumentException.class,
      () -> SimOptions.fromArgs(new String[] {"--scenario", "healthy", "--speed", "3"}));
    assertTrue(flag.getMessage().contains("Unknown options: '--speed'"), flag.getMessage());

    IllegalArgumentException scenario = assertThrows(IllegalArgumentException.class,
      () -> SimOptions.fromArgs(new String[] {"--scenario", "tsunami"}));
    assertTrue(scenario.getMessage().contains("unknown scenario 'tsunami'"), scenario.getMessage());
    for (String name : Scenarios.names()) {
      assertTrue(scenario.getMessage().contains(name), "lists " + name + ": " + scenario.getMessage());
    }

    assertTrue(assertThrows(IllegalArgumentException.class, () -> SimOptions.fromArgs(new String[] {"--scale"}))
      .getMessage().contains("Missing required parameter for option '--scale'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SimOptions.fromArgs(new String[] {"--qos", "two"}))
      .getMessage().contains("--qos needs a number"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SimOptions.fromArgs(new String[] {"--qos", "2"}))
      .getMessage().contains("--qos must be 0 or 1"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SimOptions.fromArgs(new String[] {"--transport", "smtp"}))
      .getMessage().contains("unknown transport 'smtp'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SimOptions.fromArgs(new String[] {"healthy"}))
      .getMessage().contains("Unmatched argument at index 0: 'healthy'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SimOptions.fromArgs(new String[] {"--scale", "-1"}))
      .getMessage().contains("--scale must be a positive number"));
  }

  @Test
  void theCommandReportsUsageErrorsWithExitCode2AndHelpWith0() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    assertEquals(SimulateCommand.USAGE, SimulateCommand.run(new String[] {"--bogus"}, out, err));
    assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("Unknown option: '--bogus'"), errBytes.toString(StandardCharsets.UTF_8));
    assertEquals("", bytes.toString(StandardCharsets.UTF_8), "usage errors go to standard error");
    errBytes.reset();
    assertEquals(SimulateCommand.USAGE, SimulateCommand.run(new String[] {"--qos", "2"}, out, err));
    assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("--qos must be 0 or 1"), errBytes.toString(StandardCharsets.UTF_8));

    assertEquals(SimulateCommand.OK, SimulateCommand.run(new String[] {"--help"}, out, err));
    String help = bytes.toString(StandardCharsets.UTF_8);
    for (String name : Scenarios.names()) {
      assertTrue(help.contains(name), help);
    }
  }

  @Test
  void theCommandFailsClearlyWhenNoNodeListens() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code = SimulateCommand.run(new String[] {"--mqtt-port", "1", "--scenario", "healthy", "--scale", "0.01",
      "--quiet", "--timeout", "10"}, out, out);
    assertEquals(SimulateCommand.FAILED, code);
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("cannot connect to the node's MQTT server"),
      bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theCommandFailsClearlyWhenNoHttpNodeListens() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code = SimulateCommand.run(new String[] {"--transport", "http", "--http", "http://127.0.0.1:1",
      "--scenario", "healthy", "--scale", "0.01", "--json"}, out, out);
    assertEquals(SimulateCommand.FAILED, code);
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("cannot reach the node's HTTP API at http://127.0.0.1:1/v1/alerts"),
      bytes.toString(StandardCharsets.UTF_8));
  }
}
