package org.csp.edge.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The command lines' way to a node's HTTP API (as amtool's is to Alertmanager's): {@code --url} and {@code --token}
 * (or {@code CSP_EDGE_TOKEN}), a JSON request, the answer's status and JSON body. Problems ({@code
 * application/problem+json}) are told in one line per bad field.
 */
public final class ApiClient {
  /** The variable the token is read from when {@code --token} is not given (so that it stays out of shell history). */
  public static final String TOKEN_ENV = "CSP_EDGE_TOKEN";
  /** How long one request may take: a node answers in milliseconds, or is not there. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** {@code --url}, {@code --token}: where the node's API is and who calls it. */
  public static final class Target {
    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
        description = "The node's HTTP API (default: ${DEFAULT-VALUE}).")
    public URI url;
    @Option(names = "--token", paramLabel = "TOKEN",
        description = "A bearer token (changes need an admin one); default: the " + TOKEN_ENV + " variable.")
    public String token;
  }

  /** An answer: its status and its body as JSON (an empty object when it had none). */
  public record Answer(int status, JsonObject body) {
    public boolean ok() {
      return status / 100 == 2;
    }

    /** The problem's detail and each bad field, one per line. */
    public String problem() {
      StringBuilder s = new StringBuilder("HTTP ").append(status).append(": ").append(body.getString("detail", body.encode()));
      JsonArray errors = body.getJsonArray("errors");
      if (errors != null) {
        for (Object e : errors) {
          JsonObject err = (JsonObject) e;
          s.append("\n  ").append(err.getString("pointer", "")).append(": ")
              .append(err.getString("detail", err.getString("message", err.encode())));
        }
      }
      return s.toString();
    }
  }

  private final URI base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  public ApiClient(Target target, java.util.Map<String, String> env) {
    this.base = target.url;
    this.token = target.token != null ? target.token : env.get(TOKEN_ENV);
  }

  public Answer call(String method, String path, JsonObject body) throws IOException, InterruptedException {
    HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Accept", "application/json");
    if (token != null) r.header("Authorization", "Bearer " + token);
    r = body == null ? r.method(method, HttpRequest.BodyPublishers.noBody())
        : r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    HttpResponse<String> answer = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    String text = answer.body();
    return new Answer(answer.statusCode(), text == null || text.isBlank() ? new JsonObject() : new JsonObject(text));
  }
}
