package org.csp.edge.support;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The DSP's broker shared by every test of a class, and a Vert.x for the simulator and the feed:
 * {@code @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();}. Mosquitto when installed,
 * else the embedded broker ({@link DspBroker#create()}).
 */
public final class UpstreamBroker implements BeforeAllCallback, AfterAllCallback {
  private DspBroker broker;
  private Vertx vertx;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    broker = DspBroker.create().start();
    vertx = Vertx.vertx();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (broker != null) broker.close();
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  public DspBroker broker() {
    return broker;
  }

  public Vertx vertx() {
    return vertx;
  }
}
