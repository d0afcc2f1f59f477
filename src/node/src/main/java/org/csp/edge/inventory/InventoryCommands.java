package org.csp.edge.inventory;

import static org.csp.edge.text.UnsafeCharacters.shown;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.csp.edge.cli.ApiClient;
import org.csp.edge.cli.CommandLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code csp-edge-node inventory import FILE|show}, over a node's HTTP API ({@code /v1/inventory}). Exit codes: 0
 * done; 1 the node refused or could not be reached; 2 usage, or a file the node could not read as an inventory.
 */
@Command(name = "inventory", description = "The device inventory on a running node: import a CSV export, show what is in force.",
    subcommands = {InventoryCommands.Import.class, InventoryCommands.Show.class})
public final class InventoryCommands extends CommandLines.StreamsGroup {
  private static final String PATH = InventoryRoutes.PATH;
  /**
   * The least an import waits for its answer, whatever --timeout says: the node answers once it has received and
   * read the whole file, which for a national inventory (millions of lines) takes a minute or more.
   */
  private static final Duration IMPORT_WAIT = Duration.ofMinutes(15);

  @Mixin
  CommandLines.Help help;

  private InventoryCommands(Map<String, String> env, PrintStream out, PrintStream err) {
    super(env, out, err);
  }

  public static InventoryCommands commandLine(Map<String, String> env, PrintStream out, PrintStream err) {
    return new InventoryCommands(env, out, err);
  }

  /** {@code import|show [options]} on these streams; the exit code. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return CommandLines.execute(new InventoryCommands(env, out, err), args, out, err);
  }

  /** 400 (a file that is not an inventory) is the caller's input, so a usage error; anything else a failure. */
  private int refused(String method, ApiClient.Answer a) {
    err.println(ApiClient.explain(method, PATH, a));
    return a.status() == 400 ? CommandLines.USAGE : CommandLines.FAILED;
  }

  @Command(name = "import", description = {"Import a CSV export of the Smart Metering Inventory: a header row",
      "deviceId,manufacturer,model,firmware, then a device a line. It replaces the inventory in force, on every",
      "member; alerts without a dmc then get their device's. Needs an admin token. Prints what was loaded and the",
      "first lines refused, with why."})
  static final class Import implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Mixin
    ApiClient.Options api;
    @ParentCommand
    InventoryCommands parent;
    @Parameters(paramLabel = "FILE", description = "The CSV file (UTF-8).")
    Path file;
    @Option(names = "--json", description = "The API's JSON answer as it is.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (!Files.isReadable(file)) {
        parent.err.println("cannot read " + file);
        return CommandLines.USAGE;
      }
      ApiClient.Answer a = new ApiClient(api, parent.env).upload("POST", PATH, file, "text/csv", IMPORT_WAIT);
      if (a.status() / 100 != 2) return parent.refused("POST", a);
      JsonObject r = a.json();
      if (json) {
        parent.out.println(r.encodePrettily());
        return CommandLines.OK;
      }
      parent.out.printf("imported version %d: %d devices of %d models from %d rows (%d listed again, the last kept);"
              + " %d rows refused%n", r.getLong("version"), r.getLong("devices"), r.getLong("models"), r.getLong("rows"),
          r.getLong("replaced"), r.getLong("refused"));
      JsonArray rows = r.getJsonArray("refusedRows", new JsonArray());
      for (int i = 0; i < rows.size(); i++) {
        JsonObject row = rows.getJsonObject(i);
        parent.out.printf("  line %d: %s%n", row.getLong("line"), shown(row.getString("reason")));
      }
      if (rows.size() < r.getLong("refused")) parent.out.printf("  ... and %d more%n", r.getLong("refused") - rows.size());
      return CommandLines.OK;
    }
  }

  @Command(name = "show", description = "What the inventory in force holds: devices, models, version, when and by whom imported.")
  static final class Show implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Mixin
    ApiClient.Options api;
    @ParentCommand
    InventoryCommands parent;
    @Option(names = "--json", description = "The API's JSON as it is.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer a = new ApiClient(api, parent.env).exchange("GET", PATH, null);
      if (a.status() / 100 != 2) return parent.refused("GET", a);
      JsonObject r = a.json();
      if (json) {
        parent.out.println(r.encodePrettily());
      } else if (r.getValue("version") == null) {
        parent.out.println("no inventory: alerts keep the dmc they carry");
      } else {
        parent.out.printf("version %d: %d devices of %d models, imported %s by %s%n", r.getLong("version"),
            r.getLong("devices"), r.getLong("models"), r.getString("importedAt"), shown(r.getString("importedBy")));
      }
      return CommandLines.OK;
    }
  }
}
