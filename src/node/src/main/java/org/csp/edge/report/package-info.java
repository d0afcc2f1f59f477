/**
 * The reports over the rollups' history: alerts by period, code, DMC and outcome (JSON or CSV), and the top
 * offenders with their error bounds; src/docs/operations.md, "Reports".
 */
package org.csp.edge.report;
