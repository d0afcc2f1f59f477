/**
 * What crosses cluster members, and how: every hub state, operation, task, predicate and record that Hazelcast moves
 * between members (backups, migrations, invocations) is written by an explicit Compact serializer under a stable
 * type name ({@code csp.HubState}, never the Java class name, so classes can move), registered in one place,
 * {@link org.csp.edge.cluster.ClusterSerializers}. A Compact record carries its schema, so members of two releases
 * read each other's state while a region's cluster rolls (src/docs/design.md, "Cluster state and upgrades").
 *
 * <p>The rule, for every serializer here and in org.csp.edge.cluster: never remove, rename or retype a field, and
 * never change what a field means; add a field only with a default used when it is absent
 * ({@link org.csp.edge.cluster.state.Absent}), because a member of the previous release writes without it and
 * reads past it. A new shape of a packed form ({@code csp.HubState}'s {@code tracking}) takes a new {@code layout}
 * number, and readers keep reading the old ones. ClusterStateSamplesTest reads the samples every release wrote, and
 * fails the build when the current code cannot.
 */
package org.csp.edge.cluster.state;
