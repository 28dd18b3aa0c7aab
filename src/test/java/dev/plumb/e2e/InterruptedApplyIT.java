package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, "a host broken for good": an apply killed with SIGKILL (the test-only
 * PLUMB_TEST_KILL_AFTER_STEP hook of the packaged CLI) at a step boundary leaves a host that the
 * next {@code apply --reboot if-needed} converges, every handler run exactly once, one reboot.
 * The walks cover every boundary of the hypervisor, controller and GPU-node playbooks, each on
 * fresh hosts of its own: lab02-lab09, lab10-lab14, lab15-lab20.
 */
class InterruptedApplyIT {
  private static final String HYPERVISOR = "playbooks/gpu-hypervisor.yml";
  private static final String CONTROLLER = "playbooks/controller.yml";
  private static final String GPU_NODE = "playbooks/gpu-node.yml";
  /** Boundaries of a fresh hypervisor's apply: its six steps that run commands, and the reboot. */
  private static final int BOUNDARIES = 7;
  /** A fresh controller's: nova_pci, the flavor, the nova-api and nova-scheduler restarts. */
  private static final int CONTROLLER_BOUNDARIES = 4;
  /** A fresh GPU node's: the nouveau blacklist, the initramfs, the reboot, the driver, CUDA. */
  private static final int GPU_NODE_BOUNDARIES = 5;
  private static final String INITRD = "/boot/initrd.img-4.4.0-31-generic";
  private static final String NVIDIA_RUN = "NVIDIA-Linux-x86_64-367.35.run";

  @RegisterExtension
  static final Lab lab = Lab.fresh(1 + (BOUNDARIES + 1) + (CONTROLLER_BOUNDARIES + 1) + (GPU_NODE_BOUNDARIES + 1));
  private static final String inventory = lab.inventory().toString();
  /** The lab's hosts in group gpu_nodes, with absolute key paths. */
  private static Path gpuNodes;

  @BeforeAll
  static void gpuNodesInventory() throws IOException {
    gpuNodes = lab.writeInventory(Files.createTempFile("gpu-nodes", ".yml"), "gpu_nodes");
  }

  @AfterAll
  static void removeGpuNodesInventory() throws IOException {
    if (gpuNodes != null) {
      Files.deleteIfExists(gpuNodes);
    }
  }

  /** bin/plumb apply of the hypervisor playbook on one host, killed at step boundary {@code boundary}. */
  private static Plumb applyKilledAt(String host, int boundary) {
    return applyKilledAt(host, boundary, inventory, HYPERVISOR);
  }

  /** bin/plumb apply on one host, killed at step boundary {@code boundary} (0: not killed). */
  private static Plumb applyKilledAt(String host, int boundary, String inventory, String playbook, String... extra) {
    List<String> args = new ArrayList<>(List.of("apply", "--no-color", "--no-record", "--reboot", "if-needed",
        "-i", inventory, "-l", host));
    args.addAll(List.of(extra));
    args.add(playbook);
    return Plumb.subprocess(Plumb.root(), List.of(), Map.of("PLUMB_TEST_KILL_AFTER_STEP", String.valueOf(boundary)),
        args.toArray(String[]::new));
  }

  private static int restarts(String host) {
    return restarts(host, "nova-compute");
  }

  private static int restarts(String host, String unit) {
    return Integer.parseInt(lab.exec(host, "sh", "-c",
        "cat /var/lib/lab/services/" + unit + ".restart 2>/dev/null | wc -l").strip());
  }

  /**
   * Kills an apply of {@code playbook} at each boundary 1..{@code boundaries}+1, one fresh host per
   * boundary from lab{@code firstHost}, four at a time; the last is past the last boundary and must
   * end by itself (so the walk missed none). Returns host to boundary.
   */
  private static Map<String, Integer> killAtEachBoundary(int firstHost, int boundaries, String inventory,
      String playbook, String... extra) throws Exception {
    Map<String, Integer> hosts = new LinkedHashMap<>();
    for (int b = 1; b <= boundaries + 1; b++) {
      hosts.put(String.format("lab%02d", firstHost + b - 1), b);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    Map<String, Future<Plumb>> killed = new LinkedHashMap<>();
    try {
      hosts.forEach((host, b) -> killed.put(host, pool.submit(() -> applyKilledAt(host, b, inventory, playbook, extra))));
      for (Map.Entry<String, Future<Plumb>> e : killed.entrySet()) {
        Plumb p = e.getValue().get();
        int boundary = hosts.get(e.getKey());
        assertThat(p.exit()).as(playbook + " on " + e.getKey() + " killed at boundary " + boundary + ": " + p)
            .isEqualTo(boundary <= boundaries ? 137 : 0);
      }
    } finally {
      pool.shutdownNow();
    }
    return hosts;
  }

  private static String dueHandlers(String host) {
    return lab.exec(host, "sh", "-c", "ls /var/lib/plumb/pending 2>/dev/null || true");
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
    Map<String, Integer> hosts = killAtEachBoundary(2, BOUNDARIES, inventory, HYPERVISOR);

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
      soft.assertThat(dueHandlers(host)).as(at + " due handlers").isEmpty();
      summary.add(host);
    }
    Plumb check = Plumb.run("check", "-i", inventory, "-l", String.join(",", summary), HYPERVISOR);
    soft.assertThat(check.exit()).as("check after the walk: " + check).isZero();
    soft.assertAll();
  }

  @Test
  void killAtEveryStepBoundaryOfTheControllerPlaybook_thenOneMoreApply_convergesEveryHost() throws Exception {
    String[] cloud = {"-e", "openstack_cloud=lab"};
    Map<String, Integer> hosts = killAtEachBoundary(2 + BOUNDARIES + 1, CONTROLLER_BOUNDARIES, inventory, CONTROLLER, cloud);

    List<String> args = new ArrayList<>(List.of("apply", "--format", "json", "--reboot", "if-needed", "-i", inventory,
        "-l", String.join(",", hosts.keySet()), "-e", "openstack_cloud=lab", CONTROLLER));
    Plumb last = Plumb.run(args.toArray(String[]::new));
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(last.exit()).as(last.toString()).isZero();
    for (Map.Entry<String, Integer> e : hosts.entrySet()) {
      String host = e.getKey();
      String at = host + " (controller killed at boundary " + e.getValue() + ")";
      soft.assertThat(lab.reboots(host)).as(at + " reboots").isZero();
      soft.assertThat(restarts(host, "nova-api")).as(at + " nova-api restarts").isEqualTo(1);
      soft.assertThat(restarts(host, "nova-scheduler")).as(at + " nova-scheduler restarts").isEqualTo(1);
      soft.assertThat(lab.exec(host, "cat", "/etc/nova/nova.conf")).as(at + " nova.conf")
          .contains("PciPassthroughFilter", "pci_alias");
      soft.assertThat(lab.exec(host, "openstack", "--os-cloud", "lab", "flavor", "show", "GPU.SSD.30", "-f", "json"))
          .as(at + " the flavor").contains("pci_passthrough:alias", "nvidia:1");
      soft.assertThat(dueHandlers(host)).as(at + " due handlers").isEmpty();
    }
    Plumb check = Plumb.run("check", "-i", inventory, "-l", String.join(",", hosts.keySet()), "-e", "openstack_cloud=lab",
        CONTROLLER);
    soft.assertThat(check.exit()).as("check after the walk: " + check).isZero();
    soft.assertAll();
  }

  @Test
  void killAtEveryStepBoundaryOfTheGpuNodePlaybook_thenOneMoreApply_convergesEveryHost() throws Exception {
    String nodes = gpuNodes.toString();
    int first = 2 + (BOUNDARIES + 1) + (CONTROLLER_BOUNDARIES + 1);
    Map<String, Integer> hosts = killAtEachBoundary(first, GPU_NODE_BOUNDARIES, nodes, GPU_NODE);

    Plumb last = Plumb.run("apply", "--format", "json", "--reboot", "if-needed", "-i", nodes,
        "-l", String.join(",", hosts.keySet()), GPU_NODE);
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(last.exit()).as(last.toString()).isZero();
    for (Map.Entry<String, Integer> e : hosts.entrySet()) {
      String host = e.getKey();
      String at = host + " (GPU node killed at boundary " + e.getValue() + ")";
      soft.assertThat(lab.reboots(host)).as(at + " reboots").isEqualTo(1);
      // Once by the handler of the nouveau blacklist, once by the driver's install (it rebuilds it too).
      soft.assertThat(lab.calls(host, "update-initramfs")).as(at + " update-initramfs calls").isEqualTo(2);
      soft.assertThat(lab.calls(host, NVIDIA_RUN)).as(at + " NVIDIA installer runs").isEqualTo(1);
      soft.assertThat(lab.calls(host, "cuda_8.0.27_linux.run")).as(at + " CUDA installer runs").isEqualTo(1);
      soft.assertThat(lab.calls(host, "cuda_8.0.27.1_linux.run")).as(at + " CUDA patch runs").isEqualTo(1);
      soft.assertThat(lab.exec(host, "cat", INITRD)).as(at + " the initramfs blacklists nouveau").contains("blacklist nouveau");
      soft.assertThat(lab.exec(host, "readlink", "/sys/bus/pci/devices/0000:42:00.0/driver")).as(at + " GPU driver")
          .endsWith("/nvidia\n");
      soft.assertThat(dueHandlers(host)).as(at + " due handlers").isEmpty();
      soft.assertThat(lab.exec(host, "sh", "-c", "cat /var/lib/plumb/reboot-attempt 2>/dev/null || true"))
          .as(at + " a reboot attempt left remembered").isEmpty();
    }
    Plumb check = Plumb.run("check", "-i", nodes, "-l", String.join(",", hosts.keySet()), GPU_NODE);
    soft.assertThat(check.exit()).as("check after the walk: " + check).isZero();
    soft.assertAll();
  }
}
