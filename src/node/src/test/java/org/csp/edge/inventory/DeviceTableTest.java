package org.csp.edge.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.csp.edge.alert.Dmc;
import org.csp.edge.alert.Eui64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table every member holds: exact look-ups, the last line of a device wins, 10 bytes a device, a safe binary form. */
class DeviceTableTest {
  private static final Dmc A = new Dmc("Acme", "E470", "1.0");
  private static final Dmc B = new Dmc("Bravo", "GPF-2", "3.1");

  @Test
  void findsEveryDeviceInUnsignedOrderAndTheLastLineOfADeviceWins() {
    DeviceTableBuilder b = new DeviceTableBuilder(100, 10);
    long high = Eui64.pack("F0-00-00-00-00-00-00-01"); // negative as a signed long: the order is unsigned
    long low = Eui64.pack("00-1B-C5-0C-00-00-00-01");
    b.add(high, A);
    b.add(low, A);
    b.add(Eui64.pack("00-1B-C5-0C-00-00-00-02"), B);
    b.add(low, new Dmc("Bravo", "GPF-2", "3.1")); // listed again: the later line wins
    DeviceTable t = b.build();
    assertEquals(3, t.devices());
    assertEquals(2, t.models(), "equal models are one record");
    assertEquals(1, b.replaced());
    assertEquals(A, t.of(high));
    assertEquals(B, t.of(low));
    assertSame(t.of(low), t.of(Eui64.pack("00-1B-C5-0C-00-00-00-02")), "interned: a look-up hands out the one record");
    assertNull(t.of(Eui64.pack("00-1B-C5-0C-00-00-00-03")));
    assertNull(t.of(Eui64.NOT_AN_ID));
    assertNull(DeviceTable.EMPTY.of(low));
  }

  @Test
  void anImportPastItsBoundsIsRefused() {
    DeviceTableBuilder devices = new DeviceTableBuilder(2, 10);
    devices.add(1, A);
    devices.add(2, A);
    assertThrows(DeviceTableBuilder.TooLarge.class, () -> devices.add(3, A));
    DeviceTableBuilder models = new DeviceTableBuilder(10, 1);
    models.add(1, A);
    assertTrue(assertThrows(DeviceTableBuilder.TooLarge.class, () -> models.add(2, B)).getMessage().contains("inventory.maxModels"));
  }

  /**
   * A million devices of 300 models read from a CSV file: every one found, and the table's own accounting of its heap
   * (its arrays and model records) stays under 10.5 bytes a device, so 10 million devices take about 100 MB a member.
   */
  @Test
  void aMillionDevicesTakeAboutTenBytesEach(@TempDir Path dir) throws IOException {
    int n = 1_000_000;
    int modelCount = 300;
    Path csv = dir.resolve("inventory.csv");
    Random random = new Random(20);
    long[] ids = new long[n];
    try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      w.write("deviceId,manufacturer,model,firmware\n");
      for (int i = 0; i < n; i++) {
        ids[i] = 0x001BC50C00000000L | (random.nextLong() & 0xFFFFFFFFFFL);
        int m = i % modelCount;
        w.write(Eui64.text(ids[i]) + ",Maker " + (m % 7) + ",Model " + m + ",fw " + (m % 3) + "\n");
      }
    }
    long started = System.nanoTime();
    DeviceTableBuilder b = new DeviceTableBuilder(n, 65_536);
    InventoryCsv.Read read;
    try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      read = InventoryCsv.read(in, b, 10);
    }
    DeviceTable t = b.build();
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(n, read.lines());
    assertEquals(0, read.refused());
    assertEquals(n - b.replaced(), t.devices());
    assertEquals(modelCount, t.models());
    for (int i = 0; i < n; i += 997) {
      Dmc d = t.of(ids[i]);
      // a random id may repeat (then its later line's model); a model name still exists
      assertTrue(d != null && d.model().startsWith("Model "), "device " + i);
    }
    double perDevice = (double) t.bytes() / t.devices();
    System.out.printf("inventory: %d devices, %d models, %.2f bytes a device, read and built in %d ms%n",
        t.devices(), t.models(), perDevice, tookMillis);
    assertTrue(perDevice < 10.5, perDevice + " bytes a device");
  }

  /** The intake's question allocates nothing: the id's text packed into a long, a binary search, an interned record. */
  @Test
  void aLookUpAllocatesNothing() {
    DeviceTableBuilder b = new DeviceTableBuilder(100_000, 10);
    String[] texts = new String[100_000];
    for (int i = 0; i < texts.length; i++) {
      long id = 0x001BC50C00000000L + i * 3L;
      b.add(id, i % 2 == 0 ? A : B);
      texts[i] = Eui64.text(id + (i % 3 == 0 ? 1 : 0)); // a third of them unknown
    }
    DeviceTable t = b.build();
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    int found = 0;
    long before = threads.getThreadAllocatedBytes(id);
    for (String text : texts) if (t.of(Eui64.pack(text)) != null) found++;
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    assertEquals(texts.length - (texts.length + 2) / 3, found);
    assertTrue(allocated < 1024, allocated + " bytes allocated by " + texts.length + " look-ups");
  }

  @Test
  void theBinaryFormReadsBackAndADamagedCopyIsRefused() throws IOException {
    DeviceTableBuilder b = new DeviceTableBuilder(100, 10);
    for (int i = 0; i < 50; i++) b.add(0x001BC50C00000000L + i * 7L, i % 2 == 0 ? A : B);
    DeviceTable t = b.build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InventoryFile.write(t, new JsonObject().put("id", "x").put("version", 3), out);
    byte[] bytes = out.toByteArray();
    InventoryFile.Loaded back = InventoryFile.read(new ByteArrayInputStream(bytes));
    assertEquals(3, back.description().getInteger("version"));
    assertEquals(t.devices(), back.table().devices());
    for (int i = 0; i < 50; i++) assertEquals(t.of(0x001BC50C00000000L + i * 7L), back.table().of(0x001BC50C00000000L + i * 7L));
    byte[] damaged = bytes.clone();
    damaged[damaged.length - 20] ^= 1;
    assertThrows(InventoryFile.Damaged.class, () -> InventoryFile.read(new ByteArrayInputStream(damaged)));
    byte[] torn = java.util.Arrays.copyOf(bytes, bytes.length - 30);
    assertThrows(InventoryFile.Damaged.class, () -> InventoryFile.read(new ByteArrayInputStream(torn)));
  }
}
