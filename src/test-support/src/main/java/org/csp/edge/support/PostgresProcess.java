package org.csp.edge.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL (Debian's package, src/test-support/test-packages): initdb into a temporary directory, a
 * server on a free loopback port, stopped and deleted by {@link #close}. As root it runs as the user
 * {@code postgres} (initdb refuses root), which then owns the directory. Logins over TCP need the password.
 */
public final class PostgresProcess implements AutoCloseable {
  public static final Path INSTALL = Path.of("/usr/lib/postgresql");
  public static final String USER = "csp_edge";
  public static final String PASSWORD = "test-only-password";
  private static final String SERVICE_USER = "postgres";
  private static final long START_SECONDS = 60;

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asRoot;

  private PostgresProcess(Path bin, Path dir, int port, boolean asRoot) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asRoot = asRoot;
  }

  /** Starts a new instance; fails naming the package when PostgreSQL is not installed. */
  public static PostgresProcess start() {
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Path dir = Files.createTempDirectory("csp-postgres");
      Files.writeString(dir.resolve("pwfile"), PASSWORD + "\n");
      if (root) chownTree(dir);
      PostgresProcess pg = new PostgresProcess(bin, dir, FreePort.next(), root);
      pg.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
          "--pwfile=" + dir.resolve("pwfile"), "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
          "--no-sync"));
      pg.run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
          dir.resolve("server.log").toString(), "-w", "-t", String.valueOf(START_SECONDS), "-o",
          "-p " + pg.port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
      return pg;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** The newest installed server's binaries. */
  private static Path binaries() {
    if (Files.isDirectory(INSTALL)) {
      try (Stream<Path> versions = Files.list(INSTALL)) {
        var newest = versions.map(v -> v.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
            .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        if (newest.isPresent()) return newest.get();
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + INSTALL + ": " + e.getMessage(), e);
      }
    }
    throw new IllegalStateException("PostgreSQL is not installed (no " + INSTALL + "/*/bin/initdb): the Debian package"
        + " 'postgresql' is needed (src/test-support/test-packages; apt-get install postgresql)");
  }

  private static void chownTree(Path dir) throws IOException {
    UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
    var owner = users.lookupPrincipalByName(SERVICE_USER);
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) Files.setOwner(p, owner);
    }
  }

  private void run(List<String> command) {
    List<String> full = new ArrayList<>();
    if (asRoot) full.addAll(List.of("runuser", "-u", SERVICE_USER, "--"));
    full.addAll(command);
    try {
      Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(START_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out + serverLog());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private String serverLog() {
    try {
      Path log = dir.resolve("server.log");
      return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  public int port() {
    return port;
  }

  /** A new empty database of that name, and its JDBC URL. */
  public String createDatabase(String name) {
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
      return url(name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
  }

  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  @Override
  public void close() {
    try {
      run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temporary directory left behind
      }
    }
  }
}
