package org.csp.edge.decision;

import org.csp.edge.alert.Alert;

/**
 * One step of deciding an alert on its hub's owner ({@link AlertStages}): it decides the alert (a verdict, and the
 * events it raises, into {@code hub}), or passes it on to the next stage (null). A future stage, such as muting by
 * silences or inhibitions, is one more of these, inserted where {@link AlertStages} says.
 */
@FunctionalInterface
interface AlertStage {
  Verdict decide(Alert alert, HubDecision hub);
}
