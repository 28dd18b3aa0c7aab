package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, "a host broken for good": an apply killed with SIGKILL (the test-only
 * PLUMB_TEST_KILL_AFTER_STEP hook of the packaged CLI) at a step boundary leaves a host that the
 * next {@code apply --reboot if-needed} converges, every handler run exactly once, one reboot.
 */
class InterruptedApplyIT {
  private static final String HYPERVISOR = "playbooks/gpu-hypervisor.yml";
  /** Boundaries of a fresh hypervisor's apply: its six steps that run commands, and the reboot. */
  private static final int BOUNDARIES = 7;
  private static final String INITRD = "/boot/initrd.img-4.4.0-31-generic";

  @RegisterExtension static final Lab lab = Lab.fresh(BOUNDARIES + 2);
  private static final String inventory = lab.inventory().toString();

  /** bin/plumb apply on one host, killed at step boundary {@code boundary} (0: not killed). */
  private static Plumb applyKilledAt(String host, int boundary) {
    return Plumb.subprocess(Plumb.root(), List.of(), Map.of("PLUMB_TEST_KILL_AFTER_STEP", String.valueOf(boundary)),
        "apply", "--no-color", "--no-record", "--reboot", "if-needed", "-i", inventory, "-l", host, HYPERVISOR);
  }

  private static int restarts(String host) {
    return Integer.parseInt(lab.exec(host, "sh", "-c",
        "cat /var/lib/lab/services/nova-compute.restart 2>/dev/null | wc -l").strip());
  }

  @Test
  void killedAfterTheNotifiersBeforeTheHandlers_checkSaysTheyAreDue_applyRunsEachOnce_thenNothing() {
    String host = "lab01";
    // Boundaries 1..4: kernel_cmdline, module_blacklist, pci_passthrough, nova_pci; the handlers follow.
    Plumb killed = applyKilledAt(host, 4);
    assertThat(killed.exit()).as(killed.toString()).isEqualTo(137);
    assertThat(lab.exec(host, "cat", "/etc/nova/nova.conf")).contains("pci_alias");
    assertThat(lab.calls(host, "update-initramfs")).as("initramfs rebuilt before the kill").isZero();
    assertThat(restarts(host)).as("nova restarts before the kill").isZero();

    Plumb check = Plumb.run("check", "-i", inventory, "-l", host, HYPERVISOR);
    assertThat(check.exit()).as(check.toString()).isEqualTo(2);
    assertThat(check.out()).contains(
        "due from an interrupted run: initramfs[rebuild-initramfs], service[restart-nova-compute]");
    Plumb plan = Plumb.run("plan", "-i", inventory, "-l", host, HYPERVISOR);
    assertThat(plan.out()).contains("notified by an earlier run");

    Plumb apply = Plumb.run("apply", "--format", "json", "--reboot", "if-needed", "-i", inventory, "-l", host, HYPERVISOR);
    assertThat(apply.exit()).as(apply.toString()).isZero();
    assertThat(lab.calls(host, "update-initramfs")).as("update-initramfs calls").isEqualTo(1);
    assertThat(restarts(host)).as("nova-compute restarts").isEqualTo(1);
    assertThat(lab.reboots(host)).isEqualTo(1);
    assertThat(lab.exec(host, "readlink", "/sys/bus/pci/devices/0000:42:00.0/driver")).endsWith("/vfio-pci\n");

    Plumb again = Plumb.run("apply", "--format", "json", "--reboot", "if-needed", "-i", inventory, "-l", host, HYPERVISOR);
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(again.json().host(host).outcome()).isEqualTo("converged");
    assertThat(lab.calls(host, "update-initramfs")).isEqualTo(1);
    assertThat(restarts(host)).isEqualTo(1);
    assertThat(lab.reboots(host)).isEqualTo(1);
  }

  /**
   * The "Done when" walk: one fresh host per boundary, each apply killed there (in parallel), then
   * one more apply over them all. Boundary {@code BOUNDARIES + 1} is past the last: that apply ends
   * by itself, which shows the walk missed no boundary.
   */
  @Test
  void killAtEveryStepBoundaryOfTheHypervisorPlaybook_thenOneMoreApply_convergesEveryHost() throws Exception {
    Map<String, Integer> hosts = new LinkedHashMap<>();
    for (int b = 1; b <= BOUNDARIES + 1; b++) {
      hosts.put(String.format("lab%02d", b + 1), b);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    Map<String, Future<Plumb>> killed = new LinkedHashMap<>();
    try {
      hosts.forEach((host, b) -> killed.put(host, pool.submit(() -> applyKilledAt(host, b))));
      for (Map.Entry<String, Future<Plumb>> e : killed.entrySet()) {
        Plumb p = e.getValue().get();
        int boundary = hosts.get(e.getKey());
        assertThat(p.exit()).as("apply on " + e.getKey() + " killed at boundary " + boundary + ": " + p)
            .isEqualTo(boundary <= BOUNDARIES ? 137 : 0);
      }
    } finally {
      pool.shutdownNow();
    }

    Plumb last = Plumb.run("apply", "--format", "json", "--reboot", "if-needed", "-i", inventory,
        "-l", String.join(",", hosts.keySet()), HYPERVISOR);
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(last.exit()).as(last.toString()).isZero();
    List<String> summary = new ArrayList<>();
    for (Map.Entry<String, Integer> e : hosts.entrySet()) {
      String host = e.getKey();
      String at = host + " (killed at boundary " + e.getValue() + ")";
      soft.assertThat(lab.reboots(host)).as(at + " reboots").isEqualTo(1);
      soft.assertThat(lab.calls(host, "update-initramfs")).as(at + " update-initramfs calls").isEqualTo(1);
      soft.assertThat(lab.calls(host, "update-grub")).as(at + " update-grub calls").isEqualTo(1);
      soft.assertThat(restarts(host)).as(at + " nova-compute restarts").isEqualTo(1);
      soft.assertThat(lab.exec(host, "cat", INITRD)).as(at + " the initramfs holds the vfio binding")
          .contains("options vfio-pci ids=10de:10f0,10de:1b80", "blacklist nouveau");
      soft.assertThat(lab.exec(host, "cat", "/proc/cmdline")).as(at + " running cmdline").contains("intel_iommu=on", "iommu=pt");
      soft.assertThat(lab.exec(host, "readlink", "/sys/bus/pci/devices/0000:42:00.0/driver")).as(at + " GPU driver")
          .endsWith("/vfio-pci\n");
      soft.assertThat(lab.exec(host, "sh", "-c", "ls /var/lib/plumb/pending 2>/dev/null || true")).as(at + " due handlers")
          .isEmpty();
      summary.add(host);
    }
    Plumb check = Plumb.run("check", "-i", inventory, "-l", String.join(",", summary), HYPERVISOR);
    soft.assertThat(check.exit()).as("check after the walk: " + check).isZero();
    soft.assertAll();
  }
}
