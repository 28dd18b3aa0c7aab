package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 4 on a fleet of ten lab hosts: plan / check / apply of gpu-hypervisor.yml without a
 * reboot, one fact round trip per host, an unreachable host among reachable ones; and issue 5's
 * lint of the seed playbook, which must contact no host.
 */
class FleetIT {
  private static final String HYPERVISOR = "playbooks/gpu-hypervisor.yml";
  private static final String SEED = "playbooks/seed-as-written.yml";
  private static final String VFIO_CONF =
      """
      # managed by plumb (pci_passthrough); edits here are overwritten
      options vfio-pci ids=10de:10f0,10de:1b80
      softdep nouveau pre: vfio-pci
      softdep nvidia pre: vfio-pci
      softdep snd_hda_intel pre: vfio-pci
      """;

  @RegisterExtension static final Lab lab = Lab.fresh(10); // fresh: every host starts unconverged
  private static final String inventory = lab.inventory().toString();

  private static boolean dirty; // a test ran: hosts are no longer fresh

  @BeforeEach
  void freshHosts() {
    if (dirty) {
      lab.reset("all");
    }
  }

  @AfterEach
  void markDirty() {
    dirty = true;
  }

  @Test
  void tenHosts_planCheckApplyWithoutReboot_convergesAll_andFactsAreOneExecPerHost() {
    List<String> hosts = lab.hosts();
    assertThat(hosts).hasSize(10);

    Plumb plan = Plumb.run("plan", "--detailed-exitcode", "-i", inventory, HYPERVISOR);
    assertThat(plan.exit()).as(plan.toString()).isEqualTo(2);
    // Ten identical fresh hosts: one block for all of them. 13 commands: 8 that converge, and 5 that
    // mark the handlers of the notifying resources due on the host before they change it.
    assertThat(plan.out()).as(plan.toString()).containsPattern("(?m)^10 hosts: lab01…lab10  6 to change, 13 commands$");
    assertThat(plan.out()).contains("on 10 hosts. Reboot pending on 10 hosts.");
    assertThat(lab.exec("lab01", "ls", "/etc/modprobe.d")).as("plan changes nothing").doesNotContain("vfio.conf");

    Map<String, Integer> beforeCheck = Plumb.execCounts(lab);
    Plumb drift = Plumb.run("check", "-i", inventory, HYPERVISOR);
    assertThat(drift.exit()).as(drift.toString()).isEqualTo(2);
    for (String host : hosts) {
      // The class (drift, rollout, unknown) depends on what the shared ledger recorded for the host before.
      assertThat(drift.out()).containsPattern("(?m)^" + host + "  (unknown|rollout|drift): kernel_cmdline\\[iommu\\], "
          + "module_blacklist\\[host-gpu-drivers\\], pci_passthrough\\[gpu\\], nova_pci\\[nova\\]$");
    }
    assertThat(drift.out()).contains("Check: 0 ok, 10 drifted, on 10 hosts.");
    assertOneExecPerHost(beforeCheck, "check on unconverged hosts");

    Plumb apply = Plumb.run("apply", "--format", "json", "-i", inventory, HYPERVISOR);
    assertThat(apply.exit()).as(apply.toString()).isZero();
    Plumb.Report report = apply.json();
    assertThat(report.exitCode()).isZero();
    assertThat(report.hosts()).extracting(Plumb.Host::name).containsExactlyElementsOf(hosts);
    for (Plumb.Host host : report.hosts()) {
      assertThat(host.outcome()).as(host.toString()).isEqualTo("changed");
      assertThat(host.flag("rebooted")).as(host.name() + " rebooted without --reboot").isFalse();
      assertThat(host.flag("reboot_pending")).as(host.name() + " reboot_pending").isTrue();
      assertThat(host.problems()).isEmpty();
    }
    assertThat(report.summaryCount("hosts_changed")).isEqualTo(10);
    assertThat(report.summaryCount("hosts_reboot_pending")).isEqualTo(10);
    for (String host : hosts) {
      assertThat(lab.exec(host, "cat", "/etc/modprobe.d/vfio.conf")).as(host).isEqualTo(VFIO_CONF);
      assertThat(lab.reboots(host)).as("reboots of " + host).isZero();
    }
    assertThat(lab.exec("lab07", "grep", "^GRUB_CMDLINE_LINUX=", "/etc/default/grub"))
        .isEqualTo("GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"\n");
    assertThat(lab.exec("lab07", "cat", "/proc/cmdline")).as("no reboot: running cmdline unchanged").doesNotContain("intel_iommu");

    Map<String, Integer> beforeRecheck = Plumb.execCounts(lab);
    Plumb check = Plumb.run("check", "-i", inventory, HYPERVISOR);
    assertThat(check.exit()).as(check.toString()).isZero();
    for (String host : hosts) {
      assertThat(check.out()).contains(host + "  ok  (reboot pending)");
    }
    assertThat(check.out()).contains("Check: 10 ok, 0 drifted, on 10 hosts. Reboot pending on 10 hosts.");
    assertOneExecPerHost(beforeRecheck, "check on converged hosts");
  }

  @Test
  void oneHostStopped_applyConvergesTheOtherNine_exits3_andNamesItUnreachableWithAReason() {
    lab.stop("lab03");
    try {
      Plumb apply = Plumb.run("apply", "-i", inventory, HYPERVISOR);
      assertThat(apply.exit()).as(apply.toString()).isEqualTo(3);
      assertThat(apply.out())
          .as(apply.toString())
          .contains("\nlab03  unreachable\n"
              + "  ! cannot connect to lab03 (" + lab.address("lab03") + ":2222): connection refused")
          .contains("Apply: 9 changed, 0 already converged, on 10 hosts. 1 unreachable.");
      assertThat(apply.out()).containsPattern("(?m)^9 hosts: lab01, lab02, lab04…lab10  changed, verified$");
      for (String host : lab.hosts()) {
        if (!host.equals("lab03")) {
          assertThat(lab.exec(host, "cat", "/etc/modprobe.d/vfio.conf")).as(host).isEqualTo(VFIO_CONF);
        }
      }

      Plumb again = Plumb.run("apply", "--format", "json", "-i", inventory, HYPERVISOR);
      assertThat(again.exit()).as(again.toString()).isEqualTo(3);
      Plumb.Report report = again.json();
      assertThat(report.exitCode()).isEqualTo(3);
      Plumb.Host down = report.host("lab03");
      assertThat(down.outcome()).isEqualTo("unreachable");
      assertThat(down.problems()).as(down.toString())
          .singleElement().asString().contains("cannot connect to lab03 (" + lab.address("lab03") + ":2222)", "connection refused");
      assertThat(down.execs()).isZero();
      for (Plumb.Host host : report.hosts()) {
        if (!host.name().equals("lab03")) {
          assertThat(host.outcome()).as(host.toString()).isEqualTo("converged");
          assertThat(host.execs()).as(host.name() + " execs").isEqualTo(1);
        }
      }
      assertThat(report.summaryCount("hosts_unreachable")).isEqualTo(1);
      assertThat(report.summaryCount("hosts_converged")).isEqualTo(9);
    } finally {
      lab.start("lab03");
    }
    assertThat(lab.exec("lab03", "ls", "/etc/modprobe.d"))
        .as("the stopped host was not changed").doesNotContain("vfio.conf", "plumb-blacklist.conf");
  }

  @Test
  void lintOfTheSeedPlaybook_namesTheTypoAtItsPosition_andContactsNoHost() throws Exception {
    Map<String, Integer> execsBefore = Plumb.execCounts(lab);
    Map<String, Long> connectionsBefore = connections();

    Plumb lint = Plumb.run("lint", SEED);
    assertThat(lint.exit()).as(lint.toString()).isEqualTo(1);
    assertThat(lint.err())
        .as(lint.toString())
        .contains("playbooks/seed-as-written.yml:17:19: error: unknown kernel parameter iommu_intel; did you mean intel_iommu=on?")
        .contains("playbooks/seed-as-written.yml:26:23: error: nova mitaka (13.0.0) has no filter AggregateImagePropertiesStrictIsolation, "
            + "so nova-scheduler would not start; did you mean AggregateImagePropertiesIsolation?")
        .contains("no host was contacted");
    assertThat(lint.out()).isEmpty();

    // With the lab's inventory the hosts are reachable: lint (and plan, which lints first) still
    // contacts none of them.
    Plumb lintLab = Plumb.run("lint", "-i", inventory, SEED);
    assertThat(lintLab.exit()).as(lintLab.toString()).isEqualTo(1);
    assertThat(lintLab.err()).contains("playbooks/seed-as-written.yml:17:19: error: unknown kernel parameter iommu_intel; did you mean intel_iommu=on?");
    Plumb plan = Plumb.run("plan", "-i", inventory, SEED);
    assertThat(plan.exit()).as(plan.toString()).isEqualTo(1);
    assertThat(plan.err()).contains("playbooks/seed-as-written.yml:17:19: error: unknown kernel parameter iommu_intel");

    assertThat(Plumb.execCounts(lab)).as("SSH exec channels per host").isEqualTo(execsBefore);
    assertThat(connections()).as("SSH connections per host (sshd.log)").isEqualTo(connectionsBefore);
  }

  private static void assertOneExecPerHost(Map<String, Integer> before, String what) {
    Map<String, Integer> after = Plumb.execCounts(lab);
    for (String host : lab.hosts()) {
      assertThat(after.get(host) - before.get(host))
          .as("exec channels opened on " + host + " by " + what)
          .isEqualTo(1);
    }
  }

  /** "Connection from" lines in each host's sshd.log: every TCP connection sshd accepted. */
  private static Map<String, Long> connections() throws Exception {
    Map<String, Long> counts = new java.util.LinkedHashMap<>();
    for (String host : lab.hosts()) {
      try (var lines = Files.lines(lab.root().resolve(".lab/hosts/" + host + "/sshd.log"))) {
        counts.put(host, lines.filter(l -> l.startsWith("Connection from ")).count());
      }
    }
    return counts;
  }
}
