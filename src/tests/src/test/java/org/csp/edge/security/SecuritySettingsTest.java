package org.csp.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.csp.edge.config.ConfigException;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.config.NodeConfig;
import org.junit.jupiter.api.Test;

/** The safe defaults, the files operators write, and the tools that write their lines. */
class SecuritySettingsTest {
  @Test
  void onLoopbackWithNothingConfiguredClientsNeedNoCredentials() {
    NodeConfig c = ConfigLoader.load(null, Map.of());
    assertEquals("127.0.0.1", c.bindHost());
    assertTrue(c.security().mqtt().allowAnonymous());
    assertTrue(c.security().http().allowAnonymous());
    assertFalse(c.security().tls().enabled());
    assertEquals(2000, c.limits().maxAlertsPerBatch());
    assertEquals(20_000, c.limits().messagesPerSecond());
  }

  @Test
  void openedToTheNetworkWithoutCredentialsTheNodeRefusesToStartAndSaysHowToFixIt() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, Map.of(ConfigLoader.ENV_BIND_HOST, "0.0.0.0")));
    assertTrue(e.getMessage().contains("NODE_MQTT_CREDENTIALS_FILE") && e.getMessage().contains("NODE_ALLOW_ANONYMOUS"), e.getMessage());
    NodeConfig open = ConfigLoader.load(null, Map.of(ConfigLoader.ENV_BIND_HOST, "0.0.0.0", ConfigLoader.ENV_ALLOW_ANONYMOUS, "true"));
    assertTrue(open.security().mqtt().allowAnonymous(), "opened on purpose");
  }

  @Test
  void credentialsAnywhereMeanNoAnonymousClientsEvenOnLoopback() throws Exception {
    Path creds = Files.createTempFile("creds", "");
    Files.write(creds, List.of("a:" + PasswordHashes.hash("pw".toCharArray(), PasswordHashes.MIN_COST)));
    Path tokens = Files.createTempFile("tokens", "");
    Files.write(tokens, List.of("ci:client:" + HttpTokens.digest("t")));
    NodeConfig c = ConfigLoader.load(null, Map.of(ConfigLoader.ENV_BIND_HOST, "0.0.0.0",
        ConfigLoader.ENV_MQTT_CREDENTIALS_FILE, creds.toString(), ConfigLoader.ENV_HTTP_TOKENS_FILE, tokens.toString(),
        ConfigLoader.ENV_UPSTREAM_PASSWORD, "s3cret-upstream", ConfigLoader.ENV_ALLOW_PLAINTEXT_CREDENTIALS, "true"));
    assertFalse(c.security().mqtt().allowAnonymous());
    assertFalse(c.security().http().allowAnonymous());
    assertEquals("s3cret-upstream", c.security().upstream().password().reveal());
    assertFalse(c.toString().contains("s3cret-upstream"), "a configuration never prints a secret");
  }

  @Test
  void tlsSettingsAreCheckedTogether() {
    assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject()
        .put("security", new JsonObject().put("tls", new JsonObject().put("certFile", "/x.crt"))), Map.of()));
    assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject()
        .put("security", new JsonObject().put("tls", new JsonObject().put("certFile", "/x.crt").put("keyFile", "/x.key")
            .put("clientAuth", "required"))), Map.of()));
    assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject()
        .put("limits", new JsonObject().put("maxAlertsPerBatch", 0)), Map.of()));
  }

  @Test
  void credentialsFileLinesAndTheirErrorsNeverShowAHash() {
    String hash = PasswordHashes.hash("pw".toCharArray(), PasswordHashes.MIN_COST);
    Credentials c = Credentials.parse(List.of("# comment", "", "hub:" + hash + ":00-1b-c5-0c-00-00-10-01,00-1B-C5-0D-*",
        "headend:!"), "test");
    assertTrue(c.find("hub").hubs().allows("00-1B-C5-0C-00-00-10-01"));
    assertTrue(c.find("hub").hubs().allows("00-1B-C5-0D-12-34-56-78"));
    assertFalse(c.find("hub").hubs().allows("00-1B-C5-0C-00-00-10-02"));
    assertTrue(c.find("headend").hubs().any());
    assertFalse(c.find("headend").passwordLogin());
    assertFalse(c.find("hub").toString().contains(hash));
    ConfigException bad = assertThrows(ConfigException.class, () -> Credentials.parse(List.of("x:$2y$04$tooshort"), "f"));
    assertFalse(bad.getMessage().contains("tooshort"));
    assertThrows(ConfigException.class, () -> Credentials.parse(List.of("x:" + hash + ":not-a-hub"), "f"));
    assertThrows(ConfigException.class, () -> Credentials.parse(List.of("x:" + hash, "x:" + hash), "f"));
  }

  @Test
  void hashPasswordReadsStdinAndItsLineLogsIn() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = SecurityCommands.hashPassword(new String[] {"hub-7", "--cost", "10", "--hubs", "00-1B-C5-0C-*"},
        new ByteArrayInputStream("p4ss word\n".getBytes(StandardCharsets.UTF_8)), new PrintStream(out), System.err);
    assertEquals(0, code);
    String line = out.toString(StandardCharsets.UTF_8).strip();
    assertFalse(line.contains("p4ss"));
    Credentials.Entry e = Credentials.parse(List.of(line), "stdout").find("hub-7");
    assertTrue(PasswordHashes.matches(e.hash(), "p4ss word".toCharArray()));
    assertFalse(PasswordHashes.matches(e.hash(), "p4ss".toCharArray()));
    assertEquals("00-1B-C5-0C-*", e.hubs().toString());
  }

  @Test
  void newTokenPrintsATokenAndTheLineThatAcceptsIt() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, SecurityCommands.newToken(new String[] {"ops", "--role", "admin"}, new PrintStream(out), System.err));
    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    HttpTokens tokens = HttpTokens.parse(List.of(lines[1]), "stdout");
    assertEquals(HttpTokens.Role.ADMIN, tokens.find(lines[0].strip()).role());
    assertNull(tokens.find("other"));
    assertFalse(lines[1].contains(lines[0].strip()), "the file holds a digest, not the token");
  }

  @Test
  void aTokenBucketLetsABurstThroughThenTheRate() {
    TokenBucket b = new TokenBucket(10, 5, 0);
    for (int i = 0; i < 5; i++) assertTrue(b.take(0));
    assertFalse(b.take(0));
    assertTrue(b.take(100_000_000L), "one token after 100 ms at 10/s");
    assertFalse(b.take(100_000_000L));
    assertTrue(new TokenBucket(0, 1, 0).take(0) && new TokenBucket(0, 1, 0).take(0), "0: no limit");
  }

  @Test
  void aReservationPastTheBurstWaitsForTheDebtAndRefusesBeyondIt() {
    TokenBucket b = new TokenBucket(10, 2, 0);
    assertEquals(0, b.reserve(0));
    assertEquals(0, b.reserve(0));
    assertEquals(100_000_000L, b.reserve(0), "the first borrowed token is repaid after 100 ms at 10/s");
    assertEquals(200_000_000L, b.reserve(0));
    assertEquals(-1, b.reserve(0), "more than the burst in debt: refused, nothing taken");
    assertEquals(100_000_000L, b.reserve(200_000_000L), "200 ms later two tokens repaid, the third borrowed again");
    assertEquals(0, new TokenBucket(0, 1, 0).reserve(0), "0: no limit");
  }

  @Test
  void credentialsInClearOnANonLoopbackBindAreRefusedUnlessAllowedOnPurpose() throws Exception {
    Path creds = Files.createTempFile("creds", "");
    Files.write(creds, List.of("a:" + PasswordHashes.hash("pw".toCharArray(), PasswordHashes.MIN_COST)));
    Path tokens = Files.createTempFile("tokens", "");
    Files.write(tokens, List.of("ci:client:" + HttpTokens.digest("t")));
    Map<String, String> exposed = Map.of(ConfigLoader.ENV_BIND_HOST, "0.0.0.0",
        ConfigLoader.ENV_MQTT_CREDENTIALS_FILE, creds.toString(), ConfigLoader.ENV_HTTP_TOKENS_FILE, tokens.toString());
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, exposed));
    assertEquals(2, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).startsWith("security.mqtt.credentialsFile: MQTT passwords would cross the network in clear"), e.getMessage());
    assertTrue(e.problems().get(1).startsWith("security.http.tokensFile: HTTP bearer tokens would cross the network in clear"), e.getMessage());
    assertTrue(e.getMessage().contains("NODE_ALLOW_PLAINTEXT_CREDENTIALS"), e.getMessage());

    Map<String, String> allowed = new java.util.HashMap<>(exposed);
    allowed.put(ConfigLoader.ENV_ALLOW_PLAINTEXT_CREDENTIALS, "true");
    assertTrue(ConfigLoader.load(null, allowed).security().allowPlaintextCredentials());
    Map<String, String> loopback = new java.util.HashMap<>(exposed);
    loopback.put(ConfigLoader.ENV_BIND_HOST, "127.0.0.1");
    assertFalse(ConfigLoader.load(null, loopback).security().allowPlaintextCredentials(), "loopback: nothing crosses a network");
  }

  @Test
  void aBcryptHashBelowCost10IsRefusedNamingItsLine() throws Exception {
    String cheap = org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate("2y", "pw".toCharArray(), new byte[16], 4);
    ConfigException e = assertThrows(ConfigException.class,
        () -> Credentials.parse(List.of("# clients", "hub-1:" + cheap), "creds"));
    assertTrue(e.getMessage().startsWith("creds line 2 (hub-1): bcrypt cost 4 is below 10"), e.getMessage());
    assertFalse(e.getMessage().contains(cheap));
    assertEquals(2, SecurityCommands.hashPassword(new String[] {"hub-7", "--cost", "4"},
        new ByteArrayInputStream("pw\n".getBytes(StandardCharsets.UTF_8)), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream())), "nor made");
  }

  @Test
  void aTokenLineMayBindItsCallerToHubsAndNewTokenWritesIt() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, SecurityCommands.newToken(new String[] {"hub-7", "--hubs", "00-1B-C5-0C-*"}, new PrintStream(out), System.err));
    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertTrue(lines[1].endsWith(":00-1B-C5-0C-*"), lines[1]);
    HttpTokens.Holder holder = HttpTokens.parse(List.of(lines[1]), "stdout").find(lines[0].strip());
    assertTrue(holder.hubs().allows("00-1B-C5-0C-00-00-10-01"));
    assertFalse(holder.hubs().allows("00-1B-C5-0D-00-00-10-01"));
    assertTrue(HttpTokens.parse(List.of("ci:client:" + HttpTokens.digest("t")), "f").find("t").hubs().any());
    assertThrows(ConfigException.class, () -> HttpTokens.parse(List.of("ci:client:" + HttpTokens.digest("t") + ":nope"), "f"));
  }

  @Test
  void aTokenNameNamesOneGrantSoThatTheAuditNamesOneCaller() {
    String a = HttpTokens.digest("a");
    String b = HttpTokens.digest("b");
    HttpTokens rotation = HttpTokens.parse(List.of("ops:admin:" + a + ":00-1B-C5-0C-*,00-1B-C5-0D-*",
        "ops:admin:" + b + ":00-1B-C5-0D-*,00-1B-C5-0C-*"), "f");
    assertEquals("ops", rotation.find("a").name(), "a rotation: the old and the new token under one name");
    assertEquals("ops", rotation.find("b").name());
    ConfigException otherRole = assertThrows(ConfigException.class,
        () -> HttpTokens.parse(List.of("ops:client:" + a, "ops:admin:" + b), "tokens"));
    assertTrue(otherRole.getMessage().startsWith("tokens line 2: 'ops' is listed before with another role or hubs"),
        otherRole.getMessage());
    assertThrows(ConfigException.class, () -> HttpTokens.parse(List.of("ops:client:" + a, "ops:client:" + b + ":00-1B-C5-0C-*"), "f"),
        "another binding under the same name");
    ConfigException noName = assertThrows(ConfigException.class, () -> HttpTokens.parse(List.of(" :admin:" + a), "tokens"));
    assertTrue(noName.getMessage().startsWith("tokens line 1: the name must be"), noName.getMessage());
  }
}
