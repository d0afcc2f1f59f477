package org.csp.edge.alert;

import io.vertx.core.json.JsonObject;

/** Device model combination: the manufacturer, model and firmware that together explain most storms. */
public record Dmc(String manufacturer, String model, String firmware) {
  public JsonObject toJson() {
    return new JsonObject().put("manufacturer", manufacturer).put("model", model).put("firmware", firmware);
  }
}
