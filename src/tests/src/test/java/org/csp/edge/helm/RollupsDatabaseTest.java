package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reports' PostgreSQL comes from an existing Secret: its URL and user name as variables from the Secret's keys,
 * its password as a mounted read-only file; without one, no such variable (the node keeps H2 on its volume).
 */
class RollupsDatabaseTest {
  @Test
  void theDatabaseComesFromASecretAndNeverFromTheValues() {
    Manifests release = ChartRender.region("north", "rollups.database.existingSecret=reports-db",
        "rollups.database.urlKey=jdbc");
    Map<String, Object> url = release.envVar("NODE_ROLLUPS_DB_URL");
    assertEquals("reports-db", Tree.string(url, "valueFrom.secretKeyRef.name"));
    assertEquals("jdbc", Tree.string(url, "valueFrom.secretKeyRef.key"));
    assertEquals("username", Tree.string(release.envVar("NODE_ROLLUPS_DB_USERNAME"), "valueFrom.secretKeyRef.key"));
    String passwordFile = release.env("NODE_ROLLUPS_DB_PASSWORD_FILE");
    Map<String, Object> volume = release.volume("rollups-db");
    assertEquals("reports-db", Tree.string(volume, "secret.secretName"));
    assertEquals(List.of(Map.of("key", "password", "path", "password")), Tree.list(volume, "secret.items"));
    boolean mounted = Tree.<Map<String, Object>>list(release.container(), "volumeMounts").stream()
        .anyMatch(m -> "rollups-db".equals(m.get("name")) && Boolean.TRUE.equals(m.get("readOnly"))
            && passwordFile.equals(m.get("mountPath") + "/password"));
    assertEquals(true, mounted, "the password file is the mounted Secret's");

    Manifests plain = ChartRender.region("north");
    assertFalse(Tree.<Map<String, Object>>list(plain.container(), "env").stream()
        .anyMatch(v -> String.valueOf(v.get("name")).startsWith("NODE_ROLLUPS_DB")), "no database: H2 on the volume");
    assertNull(plain.podSpec().get("rollups-db"));
  }
}
