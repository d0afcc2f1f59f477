/**
 * The Hazelcast side of the decisions: the hub map ({@link org.csp.edge.cluster.HubStateStore}) and the
 * operations that run the rules on a hub's owner and its backups (the classes named {@code *Operation} and
 * {@code *Task}), the invocations they cost, this member's registry of the hubs it owns ({@link
 * org.csp.edge.cluster.OwnedHubs}, {@link org.csp.edge.cluster.MemberView}), the regional group records and the
 * owner's sweeper. Also the cluster's configuration and membership.
 */
package org.csp.edge.cluster;
