package org.csp.edge.alert;

/**
 * Where an alert without a {@code dmc} may get one: the node's device inventory (wire format: "where absent the node
 * may take it from its inventory"). Asked by the parser for every such alert, on the intake's thread: an answer must
 * cost no I/O and no allocation.
 */
@FunctionalInterface
public interface DeviceModels {
  /** None: alerts keep what they carry. */
  DeviceModels NONE = deviceId -> null;

  /** The model of the device (its id already normalised to upper case), or null when unknown. */
  Dmc of(String deviceId);
}
