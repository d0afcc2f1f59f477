package org.csp.edge.sim;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The alert codes scenarios use, and which device type raises each one in the simulation. */
final class AlertCodes {

  /** The wire format: 4 hex digits. Scenarios only send upper case. */
  static final Pattern FORMAT = Pattern.compile("[0-9A-F]{4}");

  static final String GPF_FAULT = "8F3E";
  static final String VOLTAGE_LOW = "8014";
  static final String VOLTAGE_HIGH = "8015";

  /**
   * Background codes with the device type that raises them. Many codes, so that even 500 hubs' worth of
   * healthy traffic sent at full speed puts only about 50 alerts on any one code: well under what a regional
   * (many hubs, one code) rule should call a storm. The storm codes 8015 and 8F12 are not among them.
   */
  static final Map<String, String> BACKGROUND = Map.ofEntries(
    Map.entry("8F0A", "ESME"), Map.entry("8F1C", "ESME"), Map.entry("8F36", "GSME"), Map.entry(GPF_FAULT, "GPF"),
    Map.entry(VOLTAGE_LOW, "ESME"), Map.entry("8F01", "CHF"), Map.entry("8F0F", "CHF"), Map.entry("8F3F", "GSME"),
    Map.entry("8F84", "PPMID"), Map.entry("8106", "IHD"), Map.entry("8F20", "ESME"), Map.entry("8F35", "GSME"),
    Map.entry("8F02", "CHF"), Map.entry("8F04", "CHF"), Map.entry("8F0B", "ESME"), Map.entry("8F0C", "ESME"),
    Map.entry("8F13", "ESME"), Map.entry("8F19", "GSME"), Map.entry("8F1A", "GSME"), Map.entry("8F21", "ESME"),
    Map.entry("8F2A", "GPF"), Map.entry("8F30", "GSME"), Map.entry("8F33", "HCALCS"), Map.entry("8F40", "PPMID"));

  /** The background codes in a fixed order (Map.ofEntries has none, and draws must be reproducible). */
  static final List<String> BACKGROUND_CODES = BACKGROUND.keySet().stream().sorted().toList();

  private AlertCodes() {
  }
}
