/**
 * The register of storm-causing device models (issue 20, item 5): per device model combination (DMC) and alert code
 * over a recent window, the devices seen, the devices that stormed and the alerts, compared with the rest of the
 * population by Fisher's exact test on devices, corrected for testing every DMC and code at once
 * (Benjamini-Hochberg), with a minimum effect size and exposure. The statistics ({@link Hypergeometric},
 * {@link BenjaminiHochberg}, {@link RiskRatio}, {@link StormRegister}) import neither Vert.x nor Hazelcast:
 * src/docs/design.md, "Register of storm-causing device models".
 */
package org.csp.edge.register;
