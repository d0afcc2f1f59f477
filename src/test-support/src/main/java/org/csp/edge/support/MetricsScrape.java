package org.csp.edge.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.DoubleStream;

/** A node's {@code /metrics} read over plain HTTP on loopback (with a token where it asks for one), and the samples of one metric summed. */
public final class MetricsScrape {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private MetricsScrape() {}

  /** The sum of a metric's samples whose labels contain {@code label} (all of them when null). */
  public static double sum(int httpPort, String name, String label) throws Exception {
    return sum(httpPort, null, name, label);
  }

  /** As {@link #sum(int, String, String)}, with a bearer token (a node whose {@code /metrics} asks for one). */
  public static double sum(int httpPort, String token, String name, String label) throws Exception {
    return samples(httpPort, token, name, label).sum();
  }

  /** The one sample of a metric the node must have registered; a missing metric fails rather than reading 0. */
  public static double value(int httpPort, String token, String name) throws Exception {
    double[] values = samples(httpPort, token, name, null).toArray();
    if (values.length != 1) throw new IllegalStateException(values.length + " samples of " + name + ", not one");
    return values[0];
  }

  private static DoubleStream samples(int httpPort, String token, String name, String label) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
        .timeout(Duration.ofSeconds(10));
    if (token != null) request.header("Authorization", "Bearer " + token);
    HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) throw new IllegalStateException("/metrics answered " + answer.statusCode());
    return answer.body().lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> label == null || l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)));
  }
}
