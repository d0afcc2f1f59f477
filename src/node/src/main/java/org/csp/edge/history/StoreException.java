package org.csp.edge.history;

/** The rollup store failed (unreachable, refused a statement): the flusher retries at its next flush. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StoreException(String message, Throwable cause) {
    super(message + ": " + cause.getMessage(), cause);
  }
}
