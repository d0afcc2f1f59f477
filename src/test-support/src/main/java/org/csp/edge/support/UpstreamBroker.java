package org.csp.edge.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The DSP's broker shared by every test of a class, and a Vert.x for the simulator and the feed:
 * {@code @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();}. Without Mosquitto
 * installed the class is skipped (.ci/run installs it), not failed.
 */
public final class UpstreamBroker implements BeforeAllCallback, AfterAllCallback {
  private Mosquitto broker;
  private Vertx vertx;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    assumeTrue(Mosquitto.installed(), "mosquitto is not installed (.ci/run installs it)");
    broker = new Mosquitto().start();
    vertx = Vertx.vertx();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (broker != null) broker.close();
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  public Mosquitto broker() {
    return broker;
  }

  public Vertx vertx() {
    return vertx;
  }
}
