package org.csp.edge.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL of the chart's Grafana dashboard, and the metric names it asks Prometheus for, so that a test can
 * check them against what the node's /metrics really exports. Not a PromQL parser: it knows enough of the
 * language to tell metric names from functions, label names, strings, durations and Grafana variables.
 */
public final class DashboardQueries {
  /** The dashboard as the chart ships it. */
  public static final Path DASHBOARD = Path.of("helm", "csp-edge-node", "dashboards", "csp-edge-node.json");

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern LABEL_LIST =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
      "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN");
  private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$");

  private DashboardQueries() {}

  public static String dashboardJson() {
    try {
      return Files.readString(DASHBOARD);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every metric name the dashboard queries: panels' `expr` and the template variables' label_values(...). */
  public static Set<String> metricNames(String dashboardJson) {
    Set<String> names = new TreeSet<>();
    for (String expr : queries(dashboardJson)) names.addAll(metricNamesOfQuery(expr));
    return names;
  }

  /** The PromQL queries of the dashboard: every `expr`, and the metric selectors of label_values(...) variables. */
  public static List<String> queries(String dashboardJson) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(dashboardJson);
    } catch (IOException e) {
      throw new IllegalArgumentException("the dashboard is not JSON: " + e.getMessage(), e);
    }
    List<String> queries = new ArrayList<>();
    for (JsonNode expr : root.findValues("expr")) {
      if (expr.isTextual() && !expr.asText().isBlank()) queries.add(expr.asText());
    }
    for (JsonNode variable : root.path("templating").path("list")) {
      if (!"query".equals(variable.path("type").asText())) continue;
      JsonNode query = variable.path("query");
      String text = query.isObject() ? query.path("query").asText() : query.asText();
      Matcher labelValues = LABEL_VALUES.matcher(text);
      if (labelValues.matches()) queries.add(labelValues.group(1));
    }
    return queries;
  }

  /** The metric names in one PromQL expression. */
  public static Set<String> metricNamesOfQuery(String promql) {
    String s = STRING.matcher(promql).replaceAll("\"\"");
    s = LABEL_MATCHERS.matcher(s).replaceAll(" ");
    s = RANGE.matcher(s).replaceAll(" ");
    s = LABEL_LIST.matcher(s).replaceAll(" ");
    s = VARIABLE.matcher(s).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String token = m.group();
      char before = m.start() > 0 ? s.charAt(m.start() - 1) : ' ';
      if (Character.isDigit(before) || before == '.') continue; // 1e3, 5m (an offset's duration)
      int next = m.end();
      while (next < s.length() && Character.isWhitespace(s.charAt(next))) next++;
      if (next < s.length() && s.charAt(next) == '(') continue; // a function or an aggregation
      if (KEYWORDS.contains(token)) continue;
      names.add(token);
    }
    return names;
  }
}
