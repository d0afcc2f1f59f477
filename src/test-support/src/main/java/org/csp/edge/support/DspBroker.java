package org.csp.edge.support;

/**
 * The DSP's broker for a test, on a loopback port of its own: the real Mosquitto when it is installed (the tests'
 * set-up step installs it as root on Debian), else the node's own embedded broker (Moquette). The port is chosen at
 * construction, so a node can be configured with {@link #url()} before the broker is started. Which one a JVM's
 * tests use is said once, on stdout.
 *
 * <p>Only Mosquitto keeps sessions across a restart, so a test that stops and starts the broker needs it: the
 * embedded broker refuses a second start with the package to install ({@link Mosquitto#require}).
 */
public interface DspBroker extends AutoCloseable {
  /** A broker not started yet: Mosquitto when installed, else the embedded one. */
  static DspBroker create() {
    return BrokerChoice.create();
  }

  /** Starts it and waits until it listens; a Mosquitto again after {@link #stop}, on the same port and data. */
  DspBroker start();

  void stop();

  int port();

  String url();

  @Override
  void close();
}
