package org.csp.edge.config;

/** A configuration that cannot be used; the message names the setting and says how to fix it. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
