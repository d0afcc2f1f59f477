package org.csp.edge.register;

import org.csp.edge.alert.Dmc;

/**
 * What the rollups say of one DMC and alert code over the window.
 *
 * @param dmc null: unknown (the alerts carried none)
 * @param devicesSeen distinct devices of the DMC that sent any alert (any code): the exposure
 * @param devicesStormed distinct devices of the DMC whose alerts of the code were consolidated as a storm
 * @param alerts alerts of the DMC and code, whatever became of them (refused ones aside)
 */
public record Figures(Dmc dmc, String alertCode, long devicesSeen, long devicesStormed, long alerts) {
  public Figures {
    // Distinct counts are sketch estimates: a DMC cannot have more stormed devices than it has devices.
    devicesStormed = Math.min(devicesStormed, devicesSeen);
  }
}
