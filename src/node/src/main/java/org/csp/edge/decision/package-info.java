/**
 * The rules: how a hub's alerts are decided (duplicate headers, the policy, hub storms, regional bursts), the
 * verdicts and the events they raise, and the per-hub state they are decided against ({@link
 * org.csp.edge.decision.HubState}). Imports neither Hazelcast nor Vert.x, so every rule can be tested alone; the
 * order of the stages of an alert is stated once, in {@link org.csp.edge.decision.AlertStages}.
 */
package org.csp.edge.decision;
