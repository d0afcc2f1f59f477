package org.csp.edge.inventory;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.csp.edge.alert.Dmc;
import org.csp.edge.alert.Eui64;

/**
 * Reads the Smart Metering Inventory's CSV export: a header row naming the columns ({@code deviceId, manufacturer,
 * model, firmware}, in any order, a few common spellings), then a device a line. RFC 4180 quoting (a field in double
 * quotes may hold commas, a doubled quote is a quote; a field never spans lines). A bad line is refused alone, with
 * its number and why; the first {@code listed} of them are kept for the answer, all are counted. A header that names
 * a column the node does not know, or lacks one it needs, refuses the whole file: its lines cannot be read reliably.
 */
final class InventoryCsv {
  /** Longest manufacturer, model or firmware: as the alert parser takes them. */
  static final int MAX_FIELD_CHARS = 128;

  private static final List<String> COLUMNS = List.of("deviceId", "manufacturer", "model", "firmware");
  /** Header spellings seen in exports, lower case with spaces, '_' and '-' removed. */
  private static final Map<String, String> SPELLINGS = Map.ofEntries(
      Map.entry("deviceid", "deviceId"), Map.entry("deviceeui", "deviceId"), Map.entry("eui64", "deviceId"),
      Map.entry("deviceeui64", "deviceId"), Map.entry("device", "deviceId"),
      Map.entry("manufacturer", "manufacturer"), Map.entry("manufacturername", "manufacturer"), Map.entry("make", "manufacturer"),
      Map.entry("model", "model"), Map.entry("modelname", "model"), Map.entry("devicemodel", "model"),
      Map.entry("firmware", "firmware"), Map.entry("firmwareversion", "firmware"), Map.entry("fwversion", "firmware"));

  /** The file cannot be read as an inventory at all (its header); nothing of it is loaded. */
  static final class Unreadable extends RuntimeException {
    Unreadable(String message) {
      super(message);
    }
  }

  /** One refused line. */
  record Refused(long line, String reason) {}

  /** What a file held: its data lines, those refused (the first ones listed), and the devices taken. */
  record Read(long lines, long refused, List<Refused> listed) {}

  private InventoryCsv() {}

  /** Reads every line into {@code devices}; the lines refused are counted and the first {@code listed} kept. */
  static Read read(BufferedReader in, DeviceTableBuilder devices, int listed) throws IOException {
    String header = in.readLine();
    if (header == null) throw new Unreadable("the file is empty: expected a header row " + String.join(",", COLUMNS));
    if (!header.isEmpty() && header.charAt(0) == '\uFEFF') header = header.substring(1);
    int[] column = columns(header);
    List<Refused> refusedLines = new ArrayList<>();
    long lines = 0;
    long refused = 0;
    long number = 1;
    List<String> fields = new ArrayList<>(column.length);
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      number++;
      if (line.isBlank()) continue;
      lines++;
      String why = row(line, column, fields, devices);
      if (why != null) {
        refused++;
        if (refusedLines.size() < listed) refusedLines.add(new Refused(number, why));
      }
    }
    return new Read(lines, refused, refusedLines);
  }

  /** For each of {@link #COLUMNS}, its position in the file. */
  private static int[] columns(String header) {
    List<String> names = new ArrayList<>();
    String problem = split(header, names);
    if (problem != null) throw new Unreadable("the header row: " + problem);
    int[] at = {-1, -1, -1, -1};
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).strip();
      String known = SPELLINGS.get(name.toLowerCase(Locale.ROOT).replaceAll("[ _-]", ""));
      if (known == null) {
        throw new Unreadable("column " + (i + 1) + " '" + name + "' is not one of " + String.join(", ", COLUMNS)
            + ": the file is not read (the header must name only these columns)");
      }
      int k = COLUMNS.indexOf(known);
      if (at[k] >= 0) throw new Unreadable("column " + known + " is named twice (columns " + (at[k] + 1) + " and " + (i + 1) + ")");
      at[k] = i;
    }
    for (int k = 0; k < at.length; k++) {
      if (at[k] < 0) throw new Unreadable("the header has no column " + COLUMNS.get(k) + " (it needs " + String.join(",", COLUMNS) + ")");
    }
    return at;
  }

  /** Adds one device; the reason it is refused, or null. */
  private static String row(String line, int[] column, List<String> fields, DeviceTableBuilder devices) {
    fields.clear();
    String problem = split(line, fields);
    if (problem != null) return problem;
    if (fields.size() != column.length) return fields.size() + " fields, the header has " + column.length;
    String deviceId = fields.get(column[0]).strip();
    long id = Eui64.pack(deviceId);
    if (id == Eui64.NOT_AN_ID) return "deviceId '" + abbreviate(deviceId) + "' is not an EUI-64 (XX-XX-XX-XX-XX-XX-XX-XX)";
    String manufacturer = fields.get(column[1]).strip();
    String model = fields.get(column[2]).strip();
    String firmware = fields.get(column[3]).strip();
    for (int k = 1; k < COLUMNS.size(); k++) {
      String v = fields.get(column[k]).strip();
      if (v.isEmpty()) return COLUMNS.get(k) + " is empty";
      if (v.length() > MAX_FIELD_CHARS) return COLUMNS.get(k) + " is longer than " + MAX_FIELD_CHARS + " characters";
    }
    devices.add(id, new Dmc(manufacturer, model, firmware));
    return null;
  }

  /** Splits one line into fields (RFC 4180 quoting); the problem, or null. */
  private static String split(String line, List<String> out) {
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = line.length();
    if (n > 0 && line.charAt(n - 1) == '\r') n--;
    while (true) {
      field.setLength(0);
      if (i < n && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) return "a quoted field is not closed";
          char c = line.charAt(i++);
          if (c != '"') {
            field.append(c);
          } else if (i < n && line.charAt(i) == '"') {
            field.append('"');
            i++;
          } else {
            break;
          }
        }
        if (i < n && line.charAt(i) != ',') return "text after a quoted field at character " + (i + 1);
      } else {
        while (i < n && line.charAt(i) != ',') {
          char c = line.charAt(i++);
          if (c == '"') return "a quote inside an unquoted field at character " + i;
          field.append(c);
        }
      }
      out.add(field.toString());
      if (i >= n) return null;
      i++; // the comma
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
