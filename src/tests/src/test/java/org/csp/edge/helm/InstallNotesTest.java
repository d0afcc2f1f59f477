package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import org.junit.jupiter.api.Test;

/** What `helm install` prints (NOTES.txt): where hubs publish, where the DSP subscribes, where to scrape. */
class InstallNotesTest {
  @Test
  void theNotesSayWherePublishSubscribeAndScrape() {
    // A client-only dry run renders the notes as an install would, without a cluster.
    String output = new Helm(ChartRender.CHART).install().withName("csp-north").withNamespace("csp-north")
        .withKubeVersion(ChartRender.KUBE_VERSION).withValuesFile(ChartRender.regionValues("north"))
        .dryRun().withDryRunOption(DryRun.CLIENT).clientOnly().call().getOutput();
    String notes = output.substring(output.indexOf("NOTES:"));
    assertTrue(notes.contains("service csp-north-csp-edge-node-mqtt, port 8883 (MQTT over TLS)"), notes);
    assertTrue(notes.contains("tcp://dsp-broker.north.example.invalid:1883"), notes);
    assertTrue(notes.contains("dsp/north/#"), "the topic filter of the region's feed: " + notes);
    assertTrue(notes.contains(":8080/metrics"), notes);
  }
}
