package org.csp.edge.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.csp.edge.alert.Dmc;
import org.csp.edge.alert.Eui64;
import org.junit.jupiter.api.Test;

/** The Smart Metering Inventory's CSV: its header, quoting, and bad lines refused alone with their numbers. */
class InventoryCsvTest {
  private static DeviceTableBuilder devices;

  private static InventoryCsv.Read read(String csv, int listed) throws IOException {
    devices = new DeviceTableBuilder(1000, 100);
    return InventoryCsv.read(new BufferedReader(new StringReader(csv)), devices, listed);
  }

  @Test
  void columnsInAnyOrderUnderCommonSpellingsWithQuotingAndABom() throws IOException {
    InventoryCsv.Read r = read("\uFEFFFirmware Version,Device_EUI,Manufacturer,Model Name\r\n"
        + "1.0,00-1b-c5-0c-00-00-51-01,\"Acme, Ltd\",E470\r\n"
        + "\r\n"
        + "\"2.0 \"\"beta\"\"\",00-1B-C5-0C-00-00-51-02,Bravo,GPF-2\r\n", 10);
    assertEquals(2, r.lines());
    assertEquals(0, r.refused());
    DeviceTable t = devices.build();
    assertEquals(new Dmc("Acme, Ltd", "E470", "1.0"), t.of(Eui64.pack("00-1B-C5-0C-00-00-51-01")));
    assertEquals(new Dmc("Bravo", "GPF-2", "2.0 \"beta\""), t.of(Eui64.pack("00-1B-C5-0C-00-00-51-02")));
  }

  @Test
  void badLinesAreRefusedAloneWithTheirLineNumbersAndTheFirstOnesListed() throws IOException {
    InventoryCsv.Read r = read("deviceId,manufacturer,model,firmware\n"
        + "00-1B-C5-0C-00-00-51-01,Acme,E470,1.0\n"     // 2
        + "00-1B-C5-0C-00-00-51,Acme,E470,1.0\n"        // 3: short id
        + "00-1B-C5-0C-00-00-51-03,Acme,,1.0\n"         // 4: empty model
        + "00-1B-C5-0C-00-00-51-04,Acme,E470\n"         // 5: three fields
        + "00-1B-C5-0C-00-00-51-05,\"Acme,E470,1.0\n"   // 6: quote not closed
        + "00-1B-C5-0C-00-00-51-06,Acme,E470,1.0\n", 3); // 7
    assertEquals(6, r.lines());
    assertEquals(4, r.refused(), "every bad line counted");
    assertEquals(List.of(3L, 4L, 5L), r.listed().stream().map(InventoryCsv.Refused::line).toList(), "the first 3 listed");
    assertTrue(r.listed().get(0).reason().contains("EUI-64"), r.listed().toString());
    assertTrue(r.listed().get(1).reason().contains("model is empty"), r.listed().toString());
    assertTrue(r.listed().get(2).reason().contains("3 fields"), r.listed().toString());
    assertEquals(2, devices.build().devices(), "the good lines are taken");
  }

  @Test
  void anUnknownOrMissingColumnRefusesTheWholeFile() {
    InventoryCsv.Unreadable unknown = assertThrows(InventoryCsv.Unreadable.class,
        () -> read("deviceId,manufacturer,model,firmware,installedAt\n00-1B-C5-0C-00-00-51-01,A,B,C,2020\n", 10));
    assertTrue(unknown.getMessage().contains("'installedAt'"), unknown.getMessage());
    InventoryCsv.Unreadable missing = assertThrows(InventoryCsv.Unreadable.class, () -> read("deviceId,manufacturer,model\n", 10));
    assertTrue(missing.getMessage().contains("no column firmware"), missing.getMessage());
    assertThrows(InventoryCsv.Unreadable.class, () -> read("deviceId,device,model,firmware\n", 10), "named twice");
    assertThrows(InventoryCsv.Unreadable.class, () -> read("", 10), "empty");
  }
}
