package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: the shipped hypervisor playbook on the EL hosts operators run (lab knob {@code
 * profile}): {@code apply --reboot if-needed} converges with one reboot, and a second apply runs
 * no command. rocky9 boots through BLS entries edited by grubby, with a newer kernel pending as
 * the default (its initramfs is the one that must carry the vfio configuration); centos7 through
 * grub2-mkconfig; both name the nova unit openstack-nova-compute (RDO). And a GPU node with Secure
 * Boot on and Perl 5.26 (knobs secure_boot, perl) is blocked before any installer runs.
 */
class ProfilesIT {
  private static final String HYPERVISOR = "playbooks/gpu-hypervisor.yml";
  private static final String RUNNING = "5.14.0-362.8.1.el9_3.x86_64";
  private static final String PENDING = "5.14.0-427.13.1.el9_4.x86_64";

  private static Lab lab;

  @BeforeAll
  static void up() {
    lab = Lab.up(3);
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void rocky9_pendingKernel_oneRebootIntoTheNewKernelWithVfio_thenASecondApplyRunsNothing() {
    String host = "lab01";
    lab.set(host, "profile=rocky9");
    lab.reset(host);
    assertThat(lab.exec(host, "uname", "-r").strip()).isEqualTo(RUNNING);

    convergesWithOneReboot(host);
    assertThat(lab.exec(host, "uname", "-r").strip()).as("the pending default kernel booted").isEqualTo(PENDING);
    assertThat(lab.exec(host, "cat", "/etc/kernel/cmdline").strip().split(" "))
        .as("kernels installed later get the tokens too").contains("intel_iommu=on", "iommu=pt");
    assertThat(lab.calls(host, "dracut")).as("dracut calls").isEqualTo(1);
    assertThat(lab.exec(host, "cat", "/var/lib/lab/calls/dracut")).contains("--kver " + PENDING);
    assertThat(lab.calls(host, "grub2-mkconfig")).as("grub2-mkconfig calls (BLS: grubby edits the entries)").isZero();
    assertThat(lab.exec(host, "ls", "/var/lib/lab/services")).contains("openstack-nova-compute.restart");
    secondApplyRunsNothing(host);
  }

  @Test
  void centos7_grub2Mkconfig_oneReboot_thenASecondApplyRunsNothing() {
    String host = "lab02";
    lab.set(host, "profile=centos7");
    lab.reset(host);

    convergesWithOneReboot(host);
    assertThat(lab.calls(host, "grub2-mkconfig")).as("grub2-mkconfig calls").isEqualTo(1);
    assertThat(lab.exec(host, "cat", "/var/lib/lab/calls/grub2-mkconfig")).contains("-o /boot/grub2/grub.cfg");
    assertThat(lab.calls(host, "dracut")).as("dracut calls").isEqualTo(1);
    assertThat(lab.exec(host, "ls", "/var/lib/lab/services")).contains("openstack-nova-compute.restart");
    secondApplyRunsNothing(host);
  }

  private static void convergesWithOneReboot(String host) {
    Plumb apply = Plumb.run("apply", "--format", "json", "--reboot", "if-needed", "-i", lab.inventory().toString(), "-l", host,
        HYPERVISOR);
    assertThat(apply.exit()).as(apply.toString()).isZero();
    Plumb.Host result = apply.json().host(host);
    assertThat(result.outcome()).as(result.toString()).isEqualTo("changed");
    assertThat(result.flag("rebooted")).as("rebooted").isTrue();
    assertThat(result.problems()).isEmpty();
    assertThat(lab.reboots(host)).as("reboots").isEqualTo(1);
    assertThat(lab.exec(host, "cat", "/proc/cmdline").strip().split(" ")).contains("intel_iommu=on", "iommu=pt");
    for (String function : new String[] {"0000:42:00.0", "0000:42:00.1"}) {
      assertThat(lab.exec(host, "sh", "-c", "readlink /sys/bus/pci/devices/" + function + "/driver || true").strip())
          .as("driver of " + function).endsWith("/vfio-pci");
    }
  }

  private static void secondApplyRunsNothing(String host) {
    int execsBefore = lab.execCount(host);
    Plumb again = Plumb.run("apply", "--format", "json", "--reboot", "if-needed", "-i", lab.inventory().toString(), "-l", host,
        HYPERVISOR);
    assertThat(again.exit()).as(again.toString()).isZero();
    Plumb.Host second = again.json().host(host);
    assertThat(second.outcome()).as(second.toString()).isEqualTo("converged");
    assertThat(second.steps()).isNotEmpty().allSatisfy(step -> {
      assertThat(step.action()).as(step.id()).isEqualTo("none");
      assertThat(step.commandsRun()).as(step.id() + " commands_run").isZero();
    });
    assertThat(second.flag("reboot_pending")).isFalse();
    assertThat(lab.execCount(host) - execsBefore).as("exec channels opened by the second apply").isEqualTo(1);
    assertThat(lab.reboots(host)).as("reboots after the second apply").isEqualTo(1);
  }

  @Test
  void gpuNode_secureBootOn_andPerl526_blockBeforeAnyInstallerRuns(@TempDir Path dir) throws Exception {
    String host = "lab03";
    lab.reset(host);
    lab.set(host, "secure_boot=1");
    lab.set(host, "perl=5.026001");
    // gpu-node.yml targets the group gpu_nodes: the lab's hosts, in that group, with absolute paths.
    Path gpuNodes = dir.resolve("gpu-nodes.yml");
    Files.writeString(gpuNodes, Files.readString(lab.inventory())
        .replace("hypervisors:", "gpu_nodes:")
        .replace("ansible_ssh_private_key_file: id_ed25519", "ansible_ssh_private_key_file: " + lab.keyFile())
        .replace("known_hosts_file: known_hosts", "known_hosts_file: " + lab.knownHosts()));

    Plumb plan = Plumb.run("plan", "--format", "json", "-i", gpuNodes.toString(), "-l", host, "playbooks/gpu-node.yml");
    assertThat(plan.exit()).as(plan.toString()).isZero();
    Plumb.Host result = plan.json().host(host);
    assertThat(result.step("nvidia_driver[367.35]").blockers()).as(result.toString())
        .anySatisfy(b -> assertThat(b).startsWith("Secure Boot is on: the kernel refuses an unsigned nvidia module"));
    assertThat(result.step("cuda_toolkit[8.0.27]").blockers()).as(result.toString())
        .anySatisfy(b -> assertThat(b).startsWith("CUDA 8.0.27's runfile installs nothing under Perl 5.26 or later"));
    assertThat(lab.calls(host, "NVIDIA-Linux-x86_64-367.35.run")).isZero();
    assertThat(lab.calls(host, "cuda_8.0.27_linux.run")).isZero();
  }
}
