/**
 * The command lines, on picocli: exit codes, help and version options, usage errors on standard error, shell
 * completion ({@link org.csp.edge.cli.CommandLines}). Depends on nothing of the product, so that every package can
 * declare its own commands.
 */
package org.csp.edge.cli;
