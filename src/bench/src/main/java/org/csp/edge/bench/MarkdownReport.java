package org.csp.edge.bench;

import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/** The run as Markdown: the summary table (also printed), issue 4's targets, then every step of every hop. */
final class MarkdownReport {
  private MarkdownReport() {}

  static String summary(BenchResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append("| scenario | node max alerts/s | bare hop max alerts/s | ratio | relay max alerts/s (x bare hop) | node / relay"
        + " | node PUBACK p50 / p99 / p99.9 ms at max"
        + " | PUBACK p99 ms at node's half rate: node / bare (ratio) | e2e p50 / p99 ms at node's half rate: node (forwarded) / bare"
        + " | hop CPU us per alert at node's half rate: node / relay / bare"
        + " | hop thread switches per alert at node's half rate: node / relay / bare"
        + " | upstream msgs per 1000 alerts | CPU % of machine at node max: JVM (generator) / mosquitto | heap max MB"
        + " | Hazelcast round trips per alert (backup copies) | accounting |\n");
    sb.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
    for (ScenarioResult s : r.scenarios()) {
      HopResult node = s.node();
      HopResult bare = s.bare();
      StepResult max = node.best();
      StepResult nodeHalf = node.halfRate();
      StepResult bareHalf = bare.halfRate();
      sb.append("| ").append(s.scenario().cliName())
          .append(" | ").append(Numbers.rate(node.maxSustained())).append(node.climb().capped() ? " (cap)" : "")
          .append(" | ").append(bare.climb().capped() ? ">= " : "").append(Numbers.rate(bare.maxSustained()))
          .append(" | ").append(Numbers.ratio(s.maxRateRatio()))
          .append(" | ").append(s.relay().climb().capped() ? ">= " : "").append(Numbers.rate(s.relay().maxSustained()))
              .append(" (").append(Numbers.ratio(s.relayToBareRatio())).append(")")
          .append(" | ").append(Numbers.ratio(s.nodeToRelayRatio()))
          .append(" | ").append(max == null ? "n/a" : Numbers.ms(max.pubackMs().p50()) + " / " + Numbers.ms(max.pubackMs().p99())
              + " / " + Numbers.ms(max.pubackMs().p999()))
          .append(" | ").append(nodeHalf == null || bareHalf == null ? "n/a"
              : Numbers.ms(nodeHalf.pubackMs().p99()) + " / " + Numbers.ms(bareHalf.pubackMs().p99()) + " ("
                  + Numbers.ratio(s.pubackP99Ratio()) + ")")
          .append(" | ").append(nodeHalf == null || bareHalf == null ? "n/a"
              : Numbers.ms(nodeHalf.endToEndMs().p50()) + " / " + Numbers.ms(nodeHalf.endToEndMs().p99()) + " vs "
                  + Numbers.ms(bareHalf.endToEndMs().p50()) + " / " + Numbers.ms(bareHalf.endToEndMs().p99()))
          .append(" | ").append(byHop(s, HopResult::microsPerAlertAtHalfRate, MarkdownReport::micros))
          .append(" | ").append(byHop(s, HopResult::switchesPerAlertAtHalfRate, MarkdownReport::switches))
          .append(" | ").append(Numbers.ratio(s.upstream().perThousand()))
          .append(" | ").append(max == null ? "n/a" : String.format(Locale.ROOT, "%.0f (%.0f) / %.0f",
              max.resources().jvmCpu(), max.resources().generatorCpu(), max.resources().mosquittoCpu()))
          .append(" | ").append(max == null ? "n/a" : String.format(Locale.ROOT, "%.0f", max.resources().heapMaxMb()))
          .append(" | ").append(Numbers.ratio(s.roundTrips().remotePerAlert())).append(" (")
              .append(Numbers.ratio(s.roundTrips().backupsPerAlert())).append(")")
          .append(" | ").append(s.accounting().holds() ? "holds" : "FAILS: " + s.accounting().text())
          .append(" |\n");
    }
    return sb.toString();
  }

  static String targets(BenchResult r) {
    StringBuilder sb = new StringBuilder("| issue 4 target | measured | met |\n|---|---|---|\n");
    for (IssueTargets.Target t : IssueTargets.evaluate(r.scenarios())) {
      sb.append("| ").append(t.target()).append(" | ").append(t.measured()).append(" | ")
          .append(t.met() == null ? "not measured" : t.met() ? "yes" : "**no**").append(" |\n");
    }
    return sb.toString();
  }

  static String full(BenchResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Benchmark: node vs relay vs bare Mosquitto hop\n\n");
    sb.append("Command: `").append(r.commandLine()).append("`  \n");
    sb.append("Started ").append(r.startedAt()).append(", ").append(r.elapsed().toSeconds()).append(" s; ")
        .append(Machine.line(r.machine())).append("  \n");
    sb.append("Options: ").append(r.options()).append("; PUBACK p99 bound ").append(Numbers.ms(r.options().p99BoundMs()))
        .append(" ms\n\n");
    sb.append(summary(r)).append('\n');
    sb.append(targets(r)).append('\n');
    for (ScenarioResult s : r.scenarios()) {
      sb.append("## ").append(s.scenario().cliName()).append("\n\n").append(s.scenario().description()).append(".\n\n");
      sb.append("Upstream: ").append(s.upstream().toJson().encode()).append("  \n");
      if (s.consoleLive() != null) sb.append("Console live stream over the node's climb: ").append(s.consoleLive().text()).append("  \n");
      sb.append("Accounting: ").append(s.accounting().text()).append(s.accounting().holds() ? " (holds)" : " (FAILS)");
      if (s.problem() != null) sb.append("  \nProblem: ").append(s.problem());
      sb.append("\n\n");
      sb.append("| hop | purpose | offered/s | acked/s | PUBACK p50 / p99 / p99.9 ms | e2e p50 / p99 ms | upstream msg/s"
          + " | CPU JVM (gen) / mosq % | hop threads' CPU: in kernel % / GC threads % | hop CPU us per alert"
          + " | hop thread switches per alert | heap MB | verdict |\n"
          + "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
      steps(sb, s.node());
      steps(sb, s.relay());
      steps(sb, s.bare());
      sb.append('\n');
    }
    return sb.toString();
  }

  /** One figure of node, relay and bare hop, in that order: "node / relay / bare". */
  private static String byHop(ScenarioResult s, ToDoubleFunction<HopResult> figure, DoubleFunction<String> format) {
    return format.apply(figure.applyAsDouble(s.node())) + " / " + format.apply(figure.applyAsDouble(s.relay())) + " / "
        + format.apply(figure.applyAsDouble(s.bare()));
  }

  private static String micros(double us) {
    return Double.isNaN(us) ? "n/a" : String.format(Locale.ROOT, "%.1f", us);
  }

  private static String switches(double perAlert) {
    return Double.isNaN(perAlert) ? "n/a" : String.format(Locale.ROOT, "%.2f", perAlert);
  }

  private static void steps(StringBuilder sb, HopResult hop) {
    java.util.List<StepResult> all = new java.util.ArrayList<>(hop.climb().steps());
    if (hop.halfRate() != null) all.add(hop.halfRate());
    for (StepResult st : all) {
      ResourceUse u = st.resources();
      sb.append("| ").append(hop.label()).append(" | ").append(st.purpose())
          .append(" | ").append(Numbers.rate(st.offered())).append(" | ").append(Numbers.rate(st.achieved()))
          .append(" | ").append(Numbers.ms(st.pubackMs().p50())).append(" / ").append(Numbers.ms(st.pubackMs().p99()))
          .append(" / ").append(Numbers.ms(st.pubackMs().p999()))
          .append(" | ").append(Numbers.ms(st.endToEndMs().p50())).append(" / ").append(Numbers.ms(st.endToEndMs().p99()))
          .append(" | ").append(Numbers.rate(st.upstreamPerSecond()))
          .append(" | ").append(String.format(Locale.ROOT, "%.0f (%.0f) / %.0f", u.jvmCpu(), u.generatorCpu(), u.mosquittoCpu()))
          .append(" | ").append(String.format(Locale.ROOT, "%.0f / %.0f", u.hopKernelShare() * 100, u.hopGcShare() * 100))
          .append(" | ").append(micros(st.hopMicrosPerAlert()))
          .append(" | ").append(switches(st.hopSwitchesPerAlert()))
          .append(" | ").append(String.format(Locale.ROOT, "%.0f", u.heapMaxMb()))
          .append(" | ").append(st.verdict().keptUp() ? "kept up" : st.verdict().why()).append(" |\n");
    }
  }
}
