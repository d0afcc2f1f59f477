package org.csp.edge.history;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.csp.edge.alert.Dmc;
import org.csp.edge.rollup.Period;
import org.csp.edge.rollup.RollupBatch;
import org.csp.edge.rollup.RollupRow;
import org.csp.edge.rollup.Tally;
import org.csp.edge.rollup.TopRow;
import org.flywaydb.core.Flyway;

/**
 * The rollups' store over JDBC. One connection, used by one thread at a time (the methods are synchronized and
 * are called on a worker): writes are a few batches every flush, reads a report now and then. A connection that
 * failed is opened again at the next call.
 */
public final class RollupStore implements AutoCloseable {
  private final String url;
  private final String user;
  private final String password;
  private Connection connection;

  private RollupStore(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** Opens the store and brings its schema to the newest migration (blocking). */
  public static RollupStore open(String url, String user, String password) {
    Flyway.configure(RollupStore.class.getClassLoader())
        .dataSource(url, user, password)
        .locations("classpath:db/rollups")
        .table("rollup_schema_history")
        // A database that already holds other tables: the history table marks version 0, then V1 runs.
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
    RollupStore store = new RollupStore(url, user, password);
    store.connection();
    return store;
  }

  private Connection connection() {
    try {
      if (connection == null || connection.isClosed()) {
        connection = DriverManager.getConnection(url, user, password);
        connection.setAutoCommit(false);
      }
      return connection;
    } catch (SQLException e) {
      throw new StoreException("cannot connect to the rollup store " + redacted(), e);
    }
  }

  /** The URL without its query (where a password could be). */
  public String redacted() {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /**
   * Writes a batch unless the store holds the same or a newer flush of it: its cells and tops replace those of
   * the older flush, in one transaction. Returns whether it was written. Two members writing the same batch at
   * once: one of them fails on the batch's key and returns false (the other wrote it).
   */
  public synchronized boolean write(RollupBatch b) {
    Connection c = connection();
    try {
      Long stored = storedSeq(c, b);
      if (stored != null && stored >= b.seq()) {
        c.rollback();
        return false;
      }
      if (stored == null) {
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO rollup_batch (period, period_start, source, seq, written_at) VALUES (?, ?, ?, ?, ?)")) {
          keys(ps, b);
          ps.setLong(4, b.seq());
          ps.setLong(5, System.currentTimeMillis());
          ps.executeUpdate();
        }
      } else {
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE rollup_batch SET seq = ?, written_at = ? WHERE period = ? AND period_start = ? AND source = ? AND seq < ?")) {
          ps.setLong(1, b.seq());
          ps.setLong(2, System.currentTimeMillis());
          ps.setString(3, b.period().name());
          ps.setLong(4, b.start());
          ps.setString(5, b.source());
          ps.setLong(6, b.seq());
          if (ps.executeUpdate() == 0) {
            c.rollback();
            return false;
          }
        }
        for (String table : new String[] {"rollup_cell", "rollup_top"}) {
          try (PreparedStatement ps = c.prepareStatement(
              "DELETE FROM " + table + " WHERE period = ? AND period_start = ? AND source = ?")) {
            keys(ps, b);
            ps.executeUpdate();
          }
        }
      }
      insertCells(c, b);
      insertTops(c, b);
      c.commit();
      return true;
    } catch (SQLException e) {
      rollbackQuietly(c);
      if (isDuplicateKey(e)) return false;
      close();
      throw new StoreException("writing rollups to " + redacted() + " failed", e);
    }
  }

  private static Long storedSeq(Connection c, RollupBatch b) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT seq FROM rollup_batch WHERE period = ? AND period_start = ? AND source = ? FOR UPDATE")) {
      keys(ps, b);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  private static void keys(PreparedStatement ps, RollupBatch b) throws SQLException {
    ps.setString(1, b.period().name());
    ps.setLong(2, b.start());
    ps.setString(3, b.source());
  }

  private static void insertCells(Connection c, RollupBatch b) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollup_cell (period, period_start, source, alert_code,"
        + " dmc_known, manufacturer, model, firmware, outcome, alerts, hubs, devices) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (RollupRow r : b.rows()) {
        keys(ps, b);
        ps.setString(4, r.alertCode());
        ps.setBoolean(5, r.dmc() != null);
        ps.setString(6, r.dmc() == null ? "" : r.dmc().manufacturer());
        ps.setString(7, r.dmc() == null ? "" : r.dmc().model());
        ps.setString(8, r.dmc() == null ? "" : r.dmc().firmware());
        ps.setString(9, r.outcome());
        ps.setLong(10, r.tally().count());
        ps.setBytes(11, r.tally().hubs());
        ps.setBytes(12, r.tally().devices());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void insertTops(Connection c, RollupBatch b) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO rollup_top (period, period_start, source, alert_code, top_of, sketch) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (TopRow t : b.tops()) {
        keys(ps, b);
        ps.setString(4, t.alertCode());
        ps.setString(5, t.of());
        ps.setBytes(6, t.sketch());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Every stored cell of {@code period} whose start is in [from, to). */
  public synchronized void cells(Period period, long from, long to, Consumer<StoredCell> each) {
    Connection c = connection();
    try (PreparedStatement ps = c.prepareStatement("SELECT period_start, source, alert_code, dmc_known, manufacturer,"
        + " model, firmware, outcome, alerts, hubs, devices FROM rollup_cell WHERE period = ? AND period_start >= ?"
        + " AND period_start < ? ORDER BY period_start")) {
      ps.setString(1, period.name());
      ps.setLong(2, from);
      ps.setLong(3, to);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Dmc dmc = rs.getBoolean(4) ? new Dmc(rs.getString(5), rs.getString(6), rs.getString(7)) : null;
          each.accept(new StoredCell(rs.getLong(1), rs.getString(2), new RollupRow(rs.getString(3), dmc,
              rs.getString(8), new Tally(rs.getLong(9), rs.getBytes(10), rs.getBytes(11)))));
        }
      }
      c.commit();
    } catch (SQLException e) {
      rollbackQuietly(c);
      close();
      throw new StoreException("reading rollups from " + redacted() + " failed", e);
    }
  }

  /** Every stored top sketch of {@code period} in [from, to), of one alert code or of all (null). */
  public synchronized void tops(Period period, long from, long to, String alertCode, Consumer<TopRow> each) {
    Connection c = connection();
    try (PreparedStatement ps = c.prepareStatement("SELECT alert_code, top_of, sketch FROM rollup_top WHERE period = ?"
        + " AND period_start >= ? AND period_start < ?" + (alertCode == null ? "" : " AND alert_code = ?"))) {
      ps.setString(1, period.name());
      ps.setLong(2, from);
      ps.setLong(3, to);
      if (alertCode != null) ps.setString(4, alertCode);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) each.accept(new TopRow(rs.getString(1), rs.getString(2), rs.getBytes(3)));
      }
      c.commit();
    } catch (SQLException e) {
      rollbackQuietly(c);
      close();
      throw new StoreException("reading top offenders from " + redacted() + " failed", e);
    }
  }

  /** Work on the store's connection, in one transaction: what other parts keep beside the rollups (the register). */
  @FunctionalInterface
  public interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  /** Runs {@code work} in a transaction, committed when it returns, rolled back when it throws. */
  public synchronized <T> T inTransaction(String what, Work<T> work) {
    Connection c = connection();
    try {
      T result = work.apply(c);
      c.commit();
      return result;
    } catch (SQLException e) {
      rollbackQuietly(c);
      close();
      throw new StoreException(what + " in " + redacted() + " failed", e);
    }
  }

  /** Deletes what is older than its retention: hours before {@code hoursBefore}, days before {@code daysBefore}. */
  public synchronized int sweep(long hoursBefore, long daysBefore) {
    Connection c = connection();
    int n = 0;
    try {
      for (String table : new String[] {"rollup_cell", "rollup_top", "rollup_batch"}) {
        for (Period p : Period.values()) {
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE period = ? AND period_start < ?")) {
            ps.setString(1, p.name());
            ps.setLong(2, p == Period.HOUR ? hoursBefore : daysBefore);
            n += ps.executeUpdate();
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM digest_storm WHERE at < ?")) {
        ps.setLong(1, hoursBefore);
        n += ps.executeUpdate();
      }
      c.commit();
      return n;
    } catch (SQLException e) {
      rollbackQuietly(c);
      close();
      throw new StoreException("sweeping rollups in " + redacted() + " failed", e);
    }
  }

  /** Whether the digest of {@code recipient} for the period starting at {@code start} is recorded as published. */
  public synchronized boolean digestPublished(String recipient, long start, long periodMillis) {
    Connection c = connection();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM digest_sent WHERE recipient = ? AND period_start = ? AND period_millis = ?")) {
      ps.setString(1, recipient);
      ps.setLong(2, start);
      ps.setLong(3, periodMillis);
      boolean found;
      try (ResultSet rs = ps.executeQuery()) {
        found = rs.next();
      }
      c.commit();
      return found;
    } catch (SQLException e) {
      rollbackQuietly(c);
      close();
      throw new StoreException("reading the digests published from " + redacted() + " failed", e);
    }
  }

  /** Records a digest as published (once: a second record of the same one is ignored). */
  public synchronized void digestPublished(String recipient, long start, long periodMillis, String eventId, long at) {
    if (digestPublished(recipient, start, periodMillis)) return;
    Connection c = connection();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO digest_sent (recipient, period_start, period_millis,"
        + " event_id, published_at) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, recipient);
      ps.setLong(2, start);
      ps.setLong(3, periodMillis);
      ps.setString(4, eventId);
      ps.setLong(5, at);
      ps.executeUpdate();
      c.commit();
    } catch (SQLException e) {
      rollbackQuietly(c);
      if (isDuplicateKey(e)) return;
      close();
      throw new StoreException("recording a digest in " + redacted() + " failed", e);
    }
  }

  /** A storm-start or storm-end as the digests count it. */
  public record StormNote(String eventId, long at, String alertCode, boolean started) {}

  /** Notes storms, each once (by event id: a repeat is ignored). */
  public synchronized void noteStorms(java.util.Collection<StormNote> storms) {
    if (storms.isEmpty()) return;
    Connection c = connection();
    try {
      for (StormNote n : storms) {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM digest_storm WHERE event_id = ?")) {
          ps.setString(1, n.eventId());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) continue;
          }
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO digest_storm (event_id, at, alert_code, started) VALUES (?, ?, ?, ?)")) {
          ps.setString(1, n.eventId());
          ps.setLong(2, n.at());
          ps.setString(3, n.alertCode());
          ps.setBoolean(4, n.started());
          ps.executeUpdate();
        }
      }
      c.commit();
    } catch (SQLException e) {
      rollbackQuietly(c);
      close();
      if (isDuplicateKey(e)) return; // another member noted the same at once; the next share notes the rest
      throw new StoreException("noting storms in " + redacted() + " failed", e);
    }
  }

  /** The storms noted with a time in [from, to). */
  public synchronized void storms(long from, long to, Consumer<StormNote> each) {
    Connection c = connection();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT event_id, at, alert_code, started FROM digest_storm WHERE at >= ? AND at < ?")) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) each.accept(new StormNote(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4)));
      }
      c.commit();
    } catch (SQLException e) {
      rollbackQuietly(c);
      close();
      throw new StoreException("reading storms from " + redacted() + " failed", e);
    }
  }

  /**
   * Since when this store has watched for digests: the first call records {@code now}. Periods that ended before
   * are not caught up (a new node does not send digests of days before it ran).
   */
  public synchronized long digestsWatchedSince(long now) {
    Connection c = connection();
    try {
      try (PreparedStatement ps = c.prepareStatement("SELECT since FROM digest_watch WHERE id = 1");
          ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          long since = rs.getLong(1);
          c.commit();
          return since;
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO digest_watch (id, since) VALUES (1, ?)")) {
        ps.setLong(1, now);
        ps.executeUpdate();
      }
      c.commit();
      return now;
    } catch (SQLException e) {
      rollbackQuietly(c);
      close();
      if (isDuplicateKey(e)) return digestsWatchedSince(now); // another member's first call came first
      throw new StoreException("reading the digests' start from " + redacted() + " failed", e);
    }
  }

  private static boolean isDuplicateKey(SQLException e) {
    // 23505: unique_violation (PostgreSQL, H2).
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "23505".equals(s.getSQLState())) return true;
    }
    return false;
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is closed next; nothing was committed
    }
  }

  @Override
  public synchronized void close() {
    if (connection == null) return;
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing a broken connection: nothing left to release
    }
    connection = null;
  }
}
