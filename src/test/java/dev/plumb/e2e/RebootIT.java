package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5: apply with {@code --reboot if-needed} on lab hosts. One reboot converges a fresh
 * hypervisor; a converged host is left alone; a reboot that does not take effect is reported,
 * never retried; a GPU node's driver install waits for the reboot that unloads nouveau.
 *
 * <p>Each test works on its own host (lab01, lab02, lab03) and resets it first.
 */
class RebootIT {
  private static final String HYPERVISOR = "playbooks/gpu-hypervisor.yml";
  private static final String GPU_NODE = "playbooks/gpu-node.yml";
  private static final String NVIDIA_RUN = "NVIDIA-Linux-x86_64-367.35.run";
  private static final String CUDA_RUN = "cuda_8.0.27_linux.run";
  private static final String CUDA_PATCH_RUN = "cuda_8.0.27.1_linux.run";

  @RegisterExtension static final Lab lab = Lab.fresh(3);
  private static final String inventory = lab.inventory().toString();

  @Test
  void freshHypervisor_applyRebootIfNeeded_convergesWithOneReboot_thenASecondApplyRunsNothing() {
    String host = "lab01";
    lab.reset(host);

    Plumb apply = Plumb.run("apply", "--format", "json", "--reboot", "if-needed", "-i", inventory, "-l", host, HYPERVISOR);
    assertThat(apply.exit()).as(apply.toString()).isZero();
    Plumb.Host result = apply.json().host(host);
    assertThat(result.outcome()).as(result.toString()).isEqualTo("changed");
    assertThat(result.flag("rebooted")).as("rebooted").isTrue();
    assertThat(result.problems()).isEmpty();

    assertThat(lab.reboots(host)).as("reboots").isEqualTo(1);
    assertThat(lab.exec(host, "cat", "/proc/cmdline").strip().split(" ")).contains("intel_iommu=on", "iommu=pt");
    for (String function : new String[] {"0000:42:00.0", "0000:42:00.1"}) {
      assertThat(lab.driver(host, function)).as("driver of " + function).isEqualTo("vfio-pci");
    }
    assertThat(lab.calls(host, "update-grub")).as("update-grub calls").isEqualTo(1);
    assertThat(lab.calls(host, "update-initramfs")).as("update-initramfs calls").isEqualTo(1);

    int execsBefore = lab.execCount(host);
    Plumb again = Plumb.run("apply", "--format", "json", "--reboot", "if-needed", "-i", inventory, "-l", host, HYPERVISOR);
    Plumb.Host second = Converged.ranNothing(again, host);
    assertThat(second.execs()).as("execs in the report").isEqualTo(1);
    assertThat(second.flag("rebooted")).isFalse();
    assertThat(lab.execCount(host) - execsBefore).as("exec channels opened by the second apply").isEqualTo(1);
    assertThat(lab.reboots(host)).as("reboots after the second apply").isEqualTo(1);
    assertThat(lab.calls(host, "update-grub")).isEqualTo(1);
    assertThat(lab.calls(host, "update-initramfs")).isEqualTo(1);

    Plumb check = Plumb.run("check", "-i", inventory, "-l", host, HYPERVISOR);
    assertThat(check.exit()).as(check.toString()).isZero();
    assertThat(check.out()).contains(host + "  ok\n").doesNotContain("reboot pending", "drift:");
  }

  @Test
  void brokenReboot_applyReportsTheStateStillDiffers_exits3_andNeverRebootsTwice() {
    String host = "lab02";
    lab.reset(host);
    lab.set(host, "broken_reboot=1");
    try {
      Plumb apply = Plumb.run("apply", "--format", "json", "--reboot", "if-needed", "-i", inventory, "-l", host, HYPERVISOR);
      assertThat(apply.exit()).as(apply.toString()).isEqualTo(3);
      Plumb.Report report = apply.json();
      assertThat(report.exitCode()).isEqualTo(3);
      Plumb.Host result = report.host(host);
      assertThat(result.outcome()).as(result.toString()).isEqualTo("failed");
      assertThat(result.flag("rebooted")).isTrue();
      assertThat(result.problems())
          .as(result.toString())
          .anySatisfy(p -> assertThat(p).contains(
              "after one reboot the running state still differs from the next boot; not rebooting again",
              "kernel_cmdline[iommu]",
              "lacks intel_iommu=on iommu=pt"));
      assertThat(report.summaryCount("hosts_failed")).isEqualTo(1);

      assertThat(lab.reboots(host)).as("reboots (never a second one)").isEqualTo(1);
      assertThat(lab.calls(host, "reboot")).as("reboot stub calls").isEqualTo(1);
      assertThat(lab.exec(host, "cat", "/proc/cmdline")).as("the broken reboot kept the old cmdline").doesNotContain("intel_iommu");
      assertThat(lab.exec(host, "grep", "-m1", "^\tlinux", "/boot/grub/grub.cfg")).contains("intel_iommu=on iommu=pt");
    } finally {
      lab.set(host, "broken_reboot=0");
    }
  }

  @Test
  void freshGpuNode_driverInstallWaitsForTheRebootThatUnloadsNouveau_thenASecondApplyRunsNothing(@TempDir Path dir)
      throws Exception {
    String host = "lab03";
    lab.reset(host);
    // gpu-node.yml targets the group gpu_nodes: the lab's hosts, in that group, with absolute paths.
    Path gpuNodes = lab.writeInventory(dir.resolve("gpu-nodes.yml"), "gpu_nodes");
    assertThat(Files.readString(gpuNodes)).contains("gpu_nodes:", lab.keyFile().toString(), lab.knownHosts().toString());
    assertThat(lab.exec(host, "cat", "/sys/module/nouveau/initstate")).as("fresh: nouveau loaded").isEqualTo("live\n");

    Plumb plan = Plumb.run("plan", "-i", gpuNodes.toString(), "-l", host, GPU_NODE);
    assertThat(plan.exit()).as(plan.toString()).isZero();
    assertThat(plan.out()).contains("blocked: nouveau is loaded");

    Plumb apply = Plumb.run("apply", "--format", "json", "--reboot", "if-needed", "-i", gpuNodes.toString(), "-l", host, GPU_NODE);
    assertThat(apply.exit()).as(apply.toString()).isZero();
    Plumb.Report report = apply.json();
    Plumb.Host result = report.host(host);
    assertThat(result.outcome()).as(result.toString()).isEqualTo("changed");
    assertThat(result.flag("rebooted")).isTrue();
    assertThat(result.problems()).isEmpty();

    // Planned before the reboot: blocked by nouveau. Planned again after it: runs, unblocked.
    Plumb.Step before = result.step("nvidia_driver[367.35]");
    assertThat(before.blockers()).as(before.toString()).anySatisfy(b -> assertThat(b).contains("nouveau is loaded"));
    Plumb.Step after = result.stepAfterReboot("nvidia_driver[367.35]");
    assertThat(after.action()).as(after.toString()).isEqualTo("run");
    assertThat(after.blockers()).as(after.toString()).isEmpty();
    assertThat(after.commandsRun()).as("commands run by the driver step after the reboot").isPositive();

    // Host state: one reboot, the driver installed once (by a run that found nouveau gone: with
    // nouveau loaded the installer exits 1 and leaves its own blacklist file), CUDA and its patch once.
    assertThat(lab.reboots(host)).as("reboots").isEqualTo(1);
    assertThat(lab.calls(host, NVIDIA_RUN)).as("NVIDIA installer runs").isEqualTo(1);
    assertThat(lab.exec(host, "ls", "/etc/modprobe.d"))
        .as("the installer never ran while nouveau was loaded").doesNotContain("nvidia-installer-disable-nouveau.conf");
    assertThat(lab.exec(host, "modinfo", "-F", "version", "nvidia")).isEqualTo("367.35\n");
    assertThat(lab.exec(host, "cat", "/usr/local/cuda-8.0/version.txt").strip()).isEqualTo("CUDA Version 8.0.27");
    assertThat(lab.calls(host, CUDA_RUN)).as("CUDA installer runs").isEqualTo(1);
    assertThat(lab.calls(host, CUDA_PATCH_RUN)).as("CUDA patch runs").isEqualTo(1);
    assertThat(lab.exec(host, "cat", "/usr/local/cuda-8.0/patches.log").lines()).singleElement().asString().startsWith("cuda_8.0.27.1 installed ");
    assertThat(lab.driver(host, "0000:42:00.0")).as("GPU driver").isEqualTo("nvidia");
    assertThat(lab.exec(host, "sh", "-c", "cat /sys/module/nvidia_uvm/initstate")).isEqualTo("live\n");
    int initramfs = lab.calls(host, "update-initramfs");

    // The report must tell what happened in each phase, and the host's state after the run.
    SoftAssertions report5 = new SoftAssertions();
    report5.assertThat(before.status()).as("result.status of nvidia_driver planned before the reboot (it waited for it): " + before)
        .contains("deferred");
    report5.assertThat(before.commandsRun()).as("result.commands_run of nvidia_driver before the reboot (nothing ran then)")
        .isZero();
    for (Plumb.Step step : result.afterReboot()) {
      if (step.action().equals("none")) {
        report5.assertThat(step.commandsRun()).as("after_reboot " + step.id() + " has action none but reports commands run: " + step)
            .isZero();
      }
    }
    report5.assertThat(result.flag("reboot_pending"))
        .as("host reboot_pending after the run (summary hosts_reboot_pending is " + report.summaryCount("hosts_reboot_pending")
            + "; a check right after finds nothing pending)")
        .isFalse();

    // A second apply: nothing to do, no installer, no reboot.
    int execsBefore = lab.execCount(host);
    Plumb again = Plumb.run("apply", "--format", "json", "--reboot", "if-needed", "-i", gpuNodes.toString(), "-l", host, GPU_NODE);
    Plumb.Host second = Converged.ranNothing(again, host);
    assertThat(second.execs()).isEqualTo(1);
    assertThat(lab.execCount(host) - execsBefore).as("exec channels opened by the second apply").isEqualTo(1);
    assertThat(lab.reboots(host)).isEqualTo(1);
    assertThat(lab.calls(host, NVIDIA_RUN)).isEqualTo(1);
    assertThat(lab.calls(host, CUDA_RUN)).isEqualTo(1);
    assertThat(lab.calls(host, CUDA_PATCH_RUN)).isEqualTo(1);
    assertThat(lab.calls(host, "update-initramfs")).isEqualTo(initramfs);

    Plumb check = Plumb.run("check", "-i", gpuNodes.toString(), "-l", host, GPU_NODE);
    assertThat(check.exit()).as(check.toString()).isZero();
    assertThat(check.out()).contains(host + "  ok\n").doesNotContain("reboot pending");

    report5.assertAll();
  }
}
