package org.csp.edge.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The running counts of one simulation, kept on the simulator's context only. Messages are counted
 * when handed to the transport (sent) and again when the node answered for them (confirmed or not).
 */
final class SimTally {

  /** Messages and accounting units of one kind. */
  static final class KindCount {
    long messages;
    long alerts;
  }

  private static final int MAX_DISTINCT_ERRORS = 10;

  long messagesSent;
  long alertsSent;
  long validAlerts;
  long duplicateAlerts;
  long badAlerts;
  long messagesConfirmed;
  long alertsConfirmed;
  long messagesUnconfirmed;
  long alertsUnconfirmed;
  long httpAccepted;
  long httpRejected;
  long httpUnavailable;
  long httpAnswersWithoutCounts;
  long retries;
  long alertsResent;
  final Map<String, KindCount> byKind = new TreeMap<>();
  final Map<String, Long> byCode = new TreeMap<>();
  final Map<Integer, Long> httpStatus = new TreeMap<>();
  final Map<String, Long> errors = new LinkedHashMap<>();

  void sent(SimMessage message) {
    messagesSent++;
    alertsSent += message.alertsSent();
    validAlerts += message.validAlerts();
    duplicateAlerts += message.duplicateAlerts();
    badAlerts += message.badAlerts();
    KindCount kind = byKind.computeIfAbsent(message.kind(), k -> new KindCount());
    kind.messages++;
    kind.alerts += message.alertsSent();
    message.byCode().forEach((code, n) -> byCode.merge(code, (long) n, Long::sum));
  }

  void answered(SimMessage message, Delivery delivery) {
    retries += delivery.retries();
    alertsResent += (long) delivery.retries() * message.alertsSent();
    if (!delivery.confirmed()) {
      messagesUnconfirmed++;
      alertsUnconfirmed += message.alertsSent();
      if (errors.containsKey(delivery.error()) || errors.size() < MAX_DISTINCT_ERRORS) {
        errors.merge(delivery.error(), 1L, Long::sum);
      }
      return;
    }
    messagesConfirmed++;
    alertsConfirmed += message.alertsSent();
    if (delivery.httpStatus() > 0) {
      httpStatus.merge(delivery.httpStatus(), 1L, Long::sum);
      if (delivery.accepted() < 0 && delivery.rejected() < 0) {
        httpAnswersWithoutCounts++;
      }
      httpAccepted += Math.max(0, delivery.accepted());
      httpRejected += Math.max(0, delivery.rejected());
      httpUnavailable += delivery.unavailable();
    }
  }

  long awaiting() {
    return messagesSent - messagesConfirmed - messagesUnconfirmed;
  }
}
