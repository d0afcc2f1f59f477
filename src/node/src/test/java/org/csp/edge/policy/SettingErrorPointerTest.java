package org.csp.edge.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A refused policy names the input at fault by a JSON Pointer (RFC 6901) that resolves against the body. */
class SettingErrorPointerTest {
  @Test
  void anArraysElementIsAStepOfItsOwn() {
    assertEquals("/policy/dmcs/0/stormThreshold",
        PolicyApi.settingError("policy.dmcs[0].stormThreshold: must be at least 1").getString("pointer"));
    assertEquals("/policy/inhibitions/12", PolicyApi.settingError("policy.inhibitions[12]: a code cannot inhibit itself").getString("pointer"));
    assertEquals("/policy/codes/8F3E/stormThreshold",
        PolicyApi.settingError("policy.codes.8F3E.stormThreshold: must be at least 1").getString("pointer"));
    assertEquals("policy.dmcs[0].stormThreshold", PolicyApi.settingError("policy.dmcs[0].stormThreshold: x").getString("field"));
  }
}
