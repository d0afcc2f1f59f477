package org.csp.edge.inventory;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.csp.edge.support.OneContextHttpClient;

/** The inventory tests' HTTP side: CSV imports, alerts posted, answers read. */
final class InventoryCalls implements AutoCloseable {
  static final String HEADER = "deviceId,manufacturer,model,firmware\n";
  private final Vertx vertx = Vertx.vertx();
  private final OneContextHttpClient http = new OneContextHttpClient(vertx);

  record Answer(int status, String contentType, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  Answer call(int port, HttpMethod method, String path, String token, String contentType, Buffer body) throws Exception {
    RequestOptions o = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path);
    if (token != null) o.putHeader("Authorization", "Bearer " + token);
    if (contentType != null) o.putHeader("Content-Type", contentType);
    return http.call(c -> c.request(o)
        .compose(r -> (body == null ? r.send() : r.send(body))
            .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.getHeader("Content-Type"), b.toString()))))
        ).get(60, TimeUnit.SECONDS);
  }

  Answer importCsv(int port, String token, String csv) throws Exception {
    return call(port, HttpMethod.POST, "/v1/inventory", token, "text/csv", Buffer.buffer(csv));
  }

  /** The CSV sent in pieces with chunked transfer encoding: no Content-Length for the node to check first. */
  Answer importChunked(int port, String token, String csv, int pieces) throws Exception {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI("/v1/inventory").putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "text/csv");
    return http.call(c -> c.request(o).compose(r -> {
      r.setChunked(true);
      int step = csv.length() / pieces + 1;
      for (int i = 0; i < csv.length(); i += step) r.write(csv.substring(i, Math.min(csv.length(), i + step)));
      return r.end().compose(v -> r.response())
          .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.getHeader("Content-Type"), b.toString())));
    })).get(60, TimeUnit.SECONDS);
  }

  JsonObject inventory(int port) throws Exception {
    return call(port, HttpMethod.GET, "/v1/inventory", null, null, null).json();
  }

  Answer alerts(int port, JsonArray batch) throws Exception {
    return call(port, HttpMethod.POST, "/v1/alerts", null, "application/json", batch.toBuffer());
  }

  /** An alert without a dmc. */
  static JsonObject alert(String hubId, String deviceId, String code, long counter) {
    return new JsonObject().put("hubId", hubId).put("deviceId", deviceId).put("deviceType", "ESME").put("alertCode", code)
        .put("originatorCounter", counter).put("raisedAt", Instant.now().toString());
  }
}
