package org.csp.edge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.security.HttpTokens;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.csp.edge.support.ContractSchemas;
import org.csp.edge.support.OneContextHttpClient;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document at /v1/openapi.json is true: every operation it documents, called on a node, answers with a
 * status and content type the document gives it; every path the node routes is documented; and every error the
 * API answers is a problem (application/problem+json, RFC 9457) with the input at fault where there is one.
 */
class OpenApiTest {
  private static final String PROBLEM = "application/problem+json";
  private static Vertx vertx;
  private static OneContextHttpClient client;
  private static Node node;
  private static String clientToken;
  private static String adminToken;

  private record Answer(int status, String contentType, Map<String, String> headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    clientToken = HttpTokens.newToken();
    adminToken = HttpTokens.newToken();
    Path tokens = dir.resolve("http-tokens");
    Files.write(tokens, List.of("ci:client:" + HttpTokens.digest(clientToken), "ops:admin:" + HttpTokens.digest(adminToken)));
    JsonObject config = TestNodes.config(null);
    config.put("limits", new JsonObject().put("maxMessageBytes", 4096));
    config.put("security", new JsonObject().put("http", new JsonObject().put("tokensFile", tokens.toString())));
    node = TestNodes.start(config);
    vertx = Vertx.vertx();
    client = new OneContextHttpClient(vertx, new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.httpPort()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    TestNodes.stop(node);
  }

  @Test
  void everyDocumentedOperationAnswersAsDocumented() throws Exception {
    Answer served = call(HttpMethod.GET, "/v1/openapi.json", clientToken, null, null);
    assertEquals(200, served.status());
    JsonObject doc = served.json();
    assertEquals("3.1.0", doc.getString("openapi"));
    assertEquals(401, call(HttpMethod.GET, "/v1/openapi.json", null, null, null).status(), "for authenticated callers");
    List<String> checked = new ArrayList<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        JsonObject op = paths.getJsonObject(path).getJsonObject(method);
        JsonObject responses = op.getJsonObject("responses");
        HttpMethod m = HttpMethod.valueOf(method.toUpperCase());
        Object example = op.getJsonObject("requestBody", new JsonObject()).getJsonObject("content", new JsonObject())
            .getJsonObject("application/json", new JsonObject()).getValue("example");
        String csv = op.getJsonObject("requestBody", new JsonObject()).getJsonObject("content", new JsonObject())
            .getJsonObject("text/csv", new JsonObject()).getString("example");
        Answer a = example != null ? call(m, path, adminToken, "application/json", Buffer.buffer(Json.encode(example)))
            : csv != null ? call(m, path, adminToken, "text/csv", Buffer.buffer(csv))
            : m == HttpMethod.POST ? call(m, path, adminToken, "application/json", bodyFor(path).toBuffer())
            : call(m, concrete(path), adminToken, null, null);
        assertDocumented(doc, responses, a, method + " " + path);
        assertTrue(a.status() / 100 == 2, method + " " + path + " works: " + a);
        boolean open = op.getJsonArray("security") != null && op.getJsonArray("security").contains(new JsonObject());
        if (!open) {
          Answer anonymous = call(m, concrete(path), null, null, null);
          assertEquals(401, anonymous.status(), method + " " + path + " needs a caller");
          assertDocumented(doc, responses, anonymous, method + " " + path + " without a token");
        }
        checked.add(method + " " + path);
      }
    }
    assertTrue(checked.size() >= 8, checked.toString());
    Set<String> routed = new TreeSet<>(node.httpPaths());
    assertEquals(new TreeSet<>(paths.fieldNames()), routed, "every routed path is documented, and only those");
  }

  @Test
  void everyErrorIsAProblemWithTheInputAtFault() throws Exception {
    Answer malformed = call(HttpMethod.POST, "/v1/alerts", clientToken, "application/json", Buffer.buffer("{\"hubId\":"));
    assertProblem(malformed, 400);
    assertEquals(1, malformed.json().getInteger("rejected"), "the counts of the intake are kept");
    assertEquals("", malformed.json().getJsonArray("errors").getJsonObject(0).getString("pointer"), "the whole body");

    assertProblem(call(HttpMethod.POST, "/v1/alerts", clientToken, "text/plain", Buffer.buffer("x")), 415);
    assertProblem(call(HttpMethod.POST, "/v1/alerts", clientToken, "application/json", Buffer.buffer("[" + "1,".repeat(4000) + "1]")), 413);
    Answer unauthenticated = call(HttpMethod.GET, "/v1/status", "not-a-token", null, null);
    assertProblem(unauthenticated, 401);
    assertNotNull(unauthenticated.headers().get("www-authenticate"));
    assertProblem(call(HttpMethod.PUT, "/v1/policy", clientToken, "application/json", Buffer.buffer("{}")), 403);
    assertProblem(call(HttpMethod.GET, "/v1/no-such-thing", clientToken, null, null), 404);
    assertProblem(call(HttpMethod.PUT, "/v1/status", adminToken, "application/json", Buffer.buffer("{}")), 405);
    assertProblem(call(HttpMethod.POST, "/v1/silences", clientToken, "application/json", silence().toBuffer()), 403);
    assertProblem(call(HttpMethod.DELETE, "/v1/silences/no-such-silence", adminToken, null, null), 404);

    // A silence is checked whole: every bad field named, nothing created.
    JsonObject bad = new JsonObject().put("matchers", new JsonObject().put("alertCode", "nope!").put("colour", "red"))
        .put("startsAt", "2026-12-05T10:00:00Z").put("endsAt", "2026-12-05T09:00:00Z").put("extra", 1);
    Answer refused = call(HttpMethod.POST, "/v1/silences", adminToken, "application/json", bad.toBuffer());
    assertProblem(refused, 400);
    List<String> pointers = refused.json().getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("pointer")).sorted().toList();
    assertEquals(List.of("/endsAt", "/extra", "/matchers/alertCode", "/matchers/colour"), pointers, refused.body());
    Answer noEnd = call(HttpMethod.POST, "/v1/silences", adminToken, "application/json",
        new JsonObject().put("matchers", new JsonObject().put("hubId", "00-1B-*")).toBuffer());
    assertProblem(noEnd, 400);
    assertEquals("/endsAt", noEnd.json().getJsonArray("errors").getJsonObject(0).getString("pointer"));
    Answer tooLong = call(HttpMethod.POST, "/v1/silences", adminToken, "application/json",
        silence().put("endsAt", java.time.Instant.now().plus(java.time.Duration.ofDays(400)).toString()).toBuffer());
    assertProblem(tooLong, 400);
    assertTrue(tooLong.body().contains("silences.maxDuration"), tooLong.body());
    assertProblem(call(HttpMethod.POST, "/v1/silences", adminToken, "application/json", Buffer.buffer("[1]")), 400);
    // Instants ISO-8601 reads but whose milliseconds overflow: named, not a 500.
    Answer far = call(HttpMethod.POST, "/v1/silences", adminToken, "application/json",
        silence().put("startsAt", "-999999999-01-01T00:00:00Z").put("endsAt", "+999999999-12-31T23:59:59Z").toBuffer());
    assertProblem(far, 400);
    assertEquals(List.of("/endsAt", "/startsAt"), far.json().getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("pointer")).sorted().toList(), far.body());

    // Rejections of single alerts are no error: a 200 that says where each input was at fault.
    JsonArray batch = new JsonArray().add(alert(2)).add(alert(3).put("raisedAt", "yesterday"))
        .add(alert(4).put("payload", "not base64!"));
    Answer mixed = call(HttpMethod.POST, "/v1/alerts", clientToken, "application/json", batch.toBuffer());
    assertEquals(200, mixed.status(), mixed.body());
    assertEquals("application/json", mixed.contentType());
    JsonArray rejections = mixed.json().getJsonArray("rejections");
    assertEquals("/1/raisedAt", rejections.getJsonObject(0).getString("pointer"));
    assertEquals("bad_raised_at", rejections.getJsonObject(0).getString("reason"));
    assertEquals("/2/payload", rejections.getJsonObject(1).getString("pointer"));
  }

  /** What each POST takes: an alert, or a silence. */
  private static JsonObject bodyFor(String path) {
    return path.equals("/v1/silences") ? silence() : alert(1);
  }

  private static JsonObject silence() {
    return new JsonObject().put("matchers", new JsonObject().put("alertCode", "8F3E").put("dmc.model", "GPF-*"))
        .put("endsAt", java.time.Instant.now().plusSeconds(600).toString()).put("comment", "openapi test");
  }

  /** A documented path with its parameter filled in: a silence made for it. */
  private static String concrete(String path) throws Exception {
    if (!path.contains("{id}")) return path;
    Answer made = call(HttpMethod.POST, "/v1/silences", adminToken, "application/json", silence().toBuffer());
    assertEquals(201, made.status(), made.body());
    return path.replace("{id}", made.json().getString("id"));
  }

  private static JsonObject alert(int counter) {
    return new JsonObject().put("hubId", "00-1B-C5-0C-00-00-30-01").put("deviceId", "00-1B-C5-0C-00-00-30-02")
        .put("alertCode", "8F0F").put("originatorCounter", counter).put("raisedAt", java.time.Instant.now().toString());
  }

  /**
   * The reports' and the register's refusals of a bad parameter or body: each a problem whose errors are as the
   * document says. Before, they named a parameter where the document promised a rejection's index and reason.
   */
  @Test
  void refusedParametersAreProblemsAsDocumented() throws Exception {
    JsonObject doc = call(HttpMethod.GET, "/v1/openapi.json", clientToken, null, null).json();
    String[][] bad = {
        {"GET", "/v1/reports/alerts?by=nonsense", "/v1/reports/alerts", null},
        {"GET", "/v1/reports/top?of=bogus", "/v1/reports/top", null},
        {"GET", "/v1/register/dmcs?status=bogus", "/v1/register/dmcs", null},
        {"POST", "/v1/register/dmcs/annotations", "/v1/register/dmcs/annotations", "{}"}};
    for (String[] b : bad) {
      HttpMethod m = HttpMethod.valueOf(b[0]);
      Answer a = call(m, b[1], adminToken, b[3] == null ? null : "application/json", b[3] == null ? null : Buffer.buffer(b[3]));
      assertProblem(a, 400);
      assertTrue(a.json().getJsonArray("errors", new JsonArray()).size() > 0, b[1] + " names what is at fault: " + a.body());
      assertDocumented(doc, doc.getJsonObject("paths").getJsonObject(b[2]).getJsonObject(b[0].toLowerCase())
          .getJsonObject("responses"), a, b[0] + " " + b[1]);
    }
  }

  private static void assertProblem(Answer a, int status) {
    assertEquals(status, a.status(), a.body());
    assertEquals(PROBLEM, a.contentType(), a.body());
    JsonObject p = a.json();
    assertTrue(p.getString("type").startsWith("urn:csp-edge:problem:"), a.body());
    assertNotNull(p.getString("title"), a.body());
    assertEquals(status, p.getInteger("status"), a.body());
    assertNotNull(p.getString("detail"), a.body());
  }

  /** The answer's status is documented for the operation, with the answer's content type. */
  private static void assertDocumented(JsonObject doc, JsonObject responses, Answer a, String what) throws Exception {
    JsonObject response = responses.getJsonObject(Integer.toString(a.status()));
    assertNotNull(response, what + ": status " + a.status() + " is not documented: " + a.body());
    if (response.containsKey("$ref")) {
      String name = response.getString("$ref").substring("#/components/responses/".length());
      response = doc.getJsonObject("components").getJsonObject("responses").getJsonObject(name);
    }
    Set<String> types = response.getJsonObject("content", new JsonObject()).fieldNames();
    assertTrue(types.contains(a.contentType()), what + ": " + a.contentType() + " is not among " + types);
    JsonObject schema = response.getJsonObject("content").getJsonObject(a.contentType()).getJsonObject("schema");
    if (schema != null && a.contentType().endsWith("json")) {
      assertEquals(List.of(), schemaProblems(doc, schema, a.body()), what + ": the body is not as documented: " + a.body());
    }
  }

  /**
   * Where a body breaks the document's schema: the schema is validated (JSON Schema 2020-12, as OpenAPI 3.1's) with
   * the document's components beside it, so that its {@code #/components/...} references resolve.
   */
  private static List<String> schemaProblems(JsonObject doc, JsonObject schema, String body) throws Exception {
    JsonObject wrapped = schema.copy().put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("components", doc.getJsonObject("components"));
    JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(ContractSchemas.JSON.readTree(wrapped.encode()));
    return validator.validate(ContractSchemas.JSON.readTree(body)).stream().map(ValidationMessage::toString).sorted().toList();
  }

  private static Answer call(HttpMethod method, String path, String token, String contentType, Buffer body) throws Exception {
    RequestOptions o = new RequestOptions().setMethod(method).setURI(path);
    if (token != null) o.putHeader("Authorization", "Bearer " + token);
    if (contentType != null) o.putHeader("Content-Type", contentType);
    return client.call(c -> c.request(o)
        .compose(r -> (body == null ? r.send() : r.send(body)).compose(resp -> {
          String type = resp.getHeader("Content-Type");
          Map<String, String> headers = new java.util.HashMap<>();
          resp.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
          String mediaType = type == null ? null : type.split(";")[0].trim();
          // An event stream never ends: its first event is the answer, then the connection is closed.
          Future<String> text = "text/event-stream".equals(mediaType) ? firstEvent(resp) : resp.body().map(Buffer::toString);
          return text.map(b -> new Answer(resp.statusCode(), mediaType, headers, b));
        }))
        ).get(20, TimeUnit.SECONDS);
  }

  private static Future<String> firstEvent(io.vertx.core.http.HttpClientResponse resp) {
    Promise<String> first = Promise.promise();
    StringBuilder text = new StringBuilder();
    resp.handler(b -> {
      text.append(b.toString());
      if (text.indexOf("event: update") >= 0 && text.indexOf("\n\n", text.indexOf("event: update")) >= 0) {
        resp.request().connection().close();
        first.tryComplete(text.toString());
      }
    });
    resp.endHandler(v -> first.tryComplete(text.toString()));
    return first.future();
  }
}
