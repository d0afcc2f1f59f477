package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.csp.edge.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The digests' SMTP password comes from an existing Secret, mounted read-only where the node's
 * digests.email.smtp.passwordFile points (the node has no environment variable for it); the chart never holds it,
 * and refuses an install whose SMTP login would have no password.
 */
class DigestEmailPasswordTest {
  /** E-mail on for the north region, logging in as csp-edge: what an operator sets besides the Secret. */
  private static final String[] EMAIL = {
      "config.digests.email.enabled=true",
      "config.digests.email.smtp.host=smtp.example.org",
      "config.digests.email.smtp.username=csp-edge",
      "config.digests.email.from=csp-edge-north@example.org",
      "config.digests.email.to.dno[0]=ops@dno.example"};

  @Test
  void thePasswordIsTheSecretsMountedReadOnlyWhereTheNodeReadsIt(@TempDir Path dir) throws IOException {
    Manifests release = ChartRender.region("north", with("digestEmail.smtp.existingSecret=csp-edge-smtp",
        "digestEmail.smtp.passwordKey=smtp-password"));

    Map<String, Object> volume = release.volume("smtp-credentials");
    assertEquals("csp-edge-smtp", Tree.string(volume, "secret.secretName"));
    assertEquals(List.of(Map.of("key", "smtp-password", "path", "password")), Tree.list(volume, "secret.items"));

    NodeConfig node = release.nodeConfig(dir);
    Path passwordFile = node.digests().email().passwordFile();
    Map<String, Object> mount = release.mountAt(passwordFile.getParent().toString());
    assertEquals("smtp-credentials", mount.get("name"));
    assertEquals(Boolean.TRUE, mount.get("readOnly"));
    assertEquals("password", passwordFile.getFileName().toString(), "the Secret's item path");
    assertTrue(node.digests().email().enabled());
    assertEquals("csp-edge", node.digests().email().username());
  }

  @Test
  void withoutTheSecretNothingIsMountedAndNoPasswordFileIsSet(@TempDir Path dir) throws IOException {
    Manifests release = ChartRender.region("north");
    assertFalse(Tree.<Map<String, Object>>list(release.podSpec(), "volumes").stream()
        .anyMatch(v -> "smtp-credentials".equals(v.get("name"))), "no SMTP Secret volume");
    assertFalse(Tree.<Map<String, Object>>list(release.container(), "volumeMounts").stream()
        .anyMatch(m -> String.valueOf(m.get("mountPath")).contains("smtp")), "nothing mounted for SMTP");
    NodeConfig node = release.nodeConfig(dir);
    assertNull(node.digests().email().passwordFile());
    assertFalse(node.digests().email().enabled(), "e-mail stays off by default");
  }

  @Test
  void anSmtpLoginWithoutTheSecretFailsTheInstallSayingWhatToSet(@TempDir Path dir) throws IOException {
    Exception missing = assertThrows(IllegalStateException.class, () -> ChartRender.region("north", EMAIL));
    assertTrue(missing.getMessage().contains("digestEmail.smtp.existingSecret"), missing.getMessage());

    // A password file of the operator's own names a path nothing mounts in the pod.
    Exception ownFile = assertThrows(IllegalStateException.class, () -> ChartRender.region("north",
        with("digestEmail.smtp.existingSecret=csp-edge-smtp", "config.digests.email.smtp.passwordFile=/tmp/pw")));
    assertTrue(ownFile.getMessage().contains("digestEmail.smtp.existingSecret"), ownFile.getMessage());

    // A password without its user name: the node would refuse to start, so the install fails first.
    String[] noUser = with("digestEmail.smtp.existingSecret=csp-edge-smtp");
    noUser[java.util.Arrays.asList(noUser).indexOf("config.digests.email.smtp.username=csp-edge")] = "config.digests.email.smtp.port=587";
    Exception passwordAlone = assertThrows(IllegalStateException.class, () -> ChartRender.region("north", noUser));
    assertTrue(passwordAlone.getMessage().contains("config.digests.email.smtp.username"), passwordAlone.getMessage());

    // A server that takes mail without a login needs no Secret.
    String[] anonymous = EMAIL.clone();
    anonymous[2] = "config.digests.email.smtp.port=25";
    NodeConfig node = ChartRender.region("north", anonymous).nodeConfig(dir);
    assertTrue(node.digests().email().enabled());
    assertNull(node.digests().email().username());
    assertEquals(25, node.digests().email().port());
  }

  private static String[] with(String... more) {
    List<String> sets = new ArrayList<>(List.of(EMAIL));
    sets.addAll(List.of(more));
    return sets.toArray(String[]::new);
  }
}
