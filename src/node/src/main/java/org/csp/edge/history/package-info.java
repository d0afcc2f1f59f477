/**
 * The history of the rollups in a database: PostgreSQL in production, H2 in file mode (no server, in the data
 * directory) by default; the schema by Flyway migrations (db/rollups). Blocking JDBC: called on a worker only.
 */
package org.csp.edge.history;
