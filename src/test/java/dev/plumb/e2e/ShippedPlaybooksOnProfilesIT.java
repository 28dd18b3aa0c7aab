package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, "done when": every shipped host playbook that applies to a distribution profile, run
 * by {@code apply --reboot if-needed}, converges with at most one reboot, and a second apply runs
 * no command at all (none in plumb's report, no new mutating call in the lab's
 * /var/lib/lab/calls, no reboot). One lab holds every profile's hosts, and each playbook runs once
 * over all of them (plumb's forks), so the class costs about one apply of each playbook:
 *
 * <pre>
 *   lab01 default (Ubuntu 16.04)  gpu-hypervisor.yml, then controller.yml (an all-in-one host)
 *   lab02 ubuntu2204              the same
 *   lab03 rocky9                  the same; in group rdo (openstack-nova-* units)
 *   lab04 centos7                 the same; in group rdo
 *   lab05 default                 gpu-node.yml
 *   lab06 centos7                 gpu-node.yml; in group rdo
 * </pre>
 *
 * A user selects RDO's unit names the way this inventory does: the hosts in a group {@code rdo}
 * and inventories/group_vars/rdo.yml beside the inventory. gpu-node.yml (driver 367.35 and CUDA
 * 8.0, 2016) cannot apply to ubuntu2204 (Perl 5.34) nor rocky9 (Perl 5.32): CUDA 8's runfile
 * installs nothing under Perl 5.26 or later, and plumb blocks it before any installer runs, which
 * those profiles' tests check instead.
 */
class ShippedPlaybooksOnProfilesIT {
  private static final String HYPERVISOR = "playbooks/gpu-hypervisor.yml";
  private static final String CONTROLLER = "playbooks/controller.yml";
  private static final String GPU_NODE = "playbooks/gpu-node.yml";
  private static final List<String> HYPERVISORS = List.of("lab01", "lab02", "lab03", "lab04");
  private static final List<String> GPU_NODES = List.of("lab05", "lab06");
  private static final Map<String, String> PROFILE = Map.of(
      "lab01", "default", "lab02", "ubuntu2204", "lab03", "rocky9", "lab04", "centos7", "lab05", "default", "lab06", "centos7");
  /** Stubs that change a host; a converged host's apply must call none of them. */
  private static final List<String> MUTATING = List.of("update-grub", "grub-mkconfig", "grub2-mkconfig", "update-initramfs",
      "dracut", "reboot", "shutdown", "rmmod", "nvidia-modprobe", "NVIDIA-Linux-x86_64-367.35.run", "cuda_8.0.27_linux.run",
      "cuda_8.0.27.1_linux.run");

  @RegisterExtension static final Lab lab = Lab.fresh(6);
  private static String inventory;
  /** Per playbook: the first apply, and the second, after every first apply. */
  private static final Map<String, Plumb> first = new LinkedHashMap<>();
  private static final Map<String, Plumb> second = new LinkedHashMap<>();
  /** Per host, before and after the second applies: the lab's call logs and reboots. */
  private static final Map<String, String> callsBefore = new LinkedHashMap<>();
  private static final Map<String, String> callsAfter = new LinkedHashMap<>();
  private static final Map<String, Integer> rebootsAfterFirst = new LinkedHashMap<>();
  private static final Map<String, Integer> execsDuringSecond = new LinkedHashMap<>();
  private static final Map<String, Plumb> gpuNodePlanOn = new LinkedHashMap<>();

  @BeforeAll
  static void applyEveryPlaybookTwice(@TempDir Path dir) throws IOException {
    PROFILE.forEach((host, profile) -> {
      if (!profile.equals("default")) {
        lab.set(host, "profile=" + profile);
      }
    });
    lab.reset("all");
    inventory = writeInventory(dir).toString();

    // Where gpu-node.yml cannot apply, its plan says why (read only, before anything changes).
    for (String host : List.of("lab02", "lab03")) {
      gpuNodePlanOn.put(host, Plumb.run("plan", "--format", "json", "-i", inventory, "-l", host, GPU_NODE));
    }

    first.put(HYPERVISOR, apply(HYPERVISOR, "hypervisors"));
    first.put(GPU_NODE, apply(GPU_NODE, "lab05:lab06"));
    first.put(CONTROLLER, apply(CONTROLLER, "controllers"));
    List<String> all = new ArrayList<>(HYPERVISORS);
    all.addAll(GPU_NODES);
    Map<String, Integer> execsBefore = new LinkedHashMap<>();
    for (String host : all) {
      rebootsAfterFirst.put(host, lab.reboots(host));
      callsBefore.put(host, callLog(host));
      execsBefore.put(host, lab.execCount(host));
    }
    second.put(HYPERVISOR, apply(HYPERVISOR, "hypervisors"));
    second.put(GPU_NODE, apply(GPU_NODE, "lab05:lab06"));
    second.put(CONTROLLER, apply(CONTROLLER, "controllers"));
    for (String host : all) {
      callsAfter.put(host, callLog(host));
      execsDuringSecond.put(host, lab.execCount(host) - execsBefore.get(host));
    }
  }


  /** The lab's inventory with the hosts grouped by role, and group_vars/rdo.yml beside it. */
  private static Path writeInventory(Path dir) throws IOException {
    StringBuilder y = new StringBuilder("all:\n  vars: {ansible_user: root, ansible_port: " + Lab.PORT
        + ", ansible_ssh_private_key_file: " + lab.keyFile() + ", known_hosts_file: " + lab.knownHosts()
        + ", openstack_cloud: lab}\n  children:\n");
    group(y, "hypervisors", HYPERVISORS, true);
    group(y, "controllers", HYPERVISORS, false);
    group(y, "gpu_nodes", List.of("lab05", "lab06", "lab02", "lab03"), false);
    group(y, "rdo", List.of("lab03", "lab04", "lab06"), false);
    y.append("  hosts:\n");
    for (String host : GPU_NODES) {
      y.append("    ").append(host).append(": {ansible_host: ").append(lab.address(host)).append("}\n");
    }
    Path inv = dir.resolve("inventory.yml");
    Files.writeString(inv, y.toString());
    Files.createDirectories(dir.resolve("group_vars"));
    Files.copy(Path.of("inventories/group_vars/rdo.yml"), dir.resolve("group_vars/rdo.yml"));
    return inv;
  }

  private static void group(StringBuilder y, String name, List<String> hosts, boolean withAddress) {
    y.append("    ").append(name).append(":\n      hosts:\n");
    for (String host : hosts) {
      y.append("        ").append(host).append(":");
      if (withAddress) {
        y.append(" {ansible_host: ").append(lab.address(host)).append("}");
      }
      y.append("\n");
    }
  }

  private static Plumb apply(String playbook, String limit) {
    return Plumb.run("apply", "--format", "json", "--reboot", "if-needed", "-i", inventory, "-l", limit, playbook);
  }

  /** Every line of every call log of the host, prefixed with the stub's name. */
  private static String callLog(String host) {
    return lab.exec(host, "sh", "-c", "cd /var/lib/lab/calls && for f in *; do [ -f \"$f\" ] && sed \"s|^|$f |\" \"$f\"; done; true");
  }

  /** The calls the second applies made, minus the read-only ones (fact reading). */
  private static List<String> mutatingCallsOfTheSecondApplies(String host) {
    List<String> before = Arrays.asList(callsBefore.get(host).split("\n"));
    List<String> fresh = new ArrayList<>(Arrays.asList(callsAfter.get(host).split("\n")));
    fresh.removeAll(before);
    return fresh.stream().filter(line -> {
      String[] f = line.split(" ", 3);
      String stub = f[0];
      String args = f.length > 2 ? f[2] : "";
      return MUTATING.contains(stub)
          || stub.equals("modprobe") && !args.contains("-n")
          || stub.equals("grubby") && args.contains("--update-kernel")
          || stub.equals("openstack") && args.matches(".*\\b(set|unset|migrate|delete)\\b.*")
          || (stub.equals("systemctl") || stub.equals("service")) && args.matches(".*\\b(start|restart|stop|reload|enable|disable)\\b.*");
    }).toList();
  }

  private static String driver(String host, String address) {
    String link = lab.exec(host, "sh", "-c", "readlink /sys/bus/pci/devices/" + address + "/driver || true").strip();
    return link.substring(link.lastIndexOf('/') + 1);
  }

  /** The first applies converged the host with at most one reboot; the second ones ran nothing. */
  private static void convergedOnceThenNothing(String host, List<String> playbooks) {
    for (String playbook : playbooks) {
      Plumb apply = first.get(playbook);
      assertThat(apply.exit()).as(playbook + " first apply\n" + apply).isZero();
      Plumb.Host result = apply.json().host(host);
      assertThat(result.outcome()).as(playbook + " on " + host + ": " + result).isIn("changed", "converged");
      assertThat(result.problems()).as(playbook + " on " + host).isEmpty();

      Plumb again = second.get(playbook);
      assertThat(again.exit()).as(playbook + " second apply\n" + again).isZero();
      Plumb.Host converged = again.json().host(host);
      assertThat(converged.outcome()).as(playbook + " on " + host + ", second apply: " + converged).isEqualTo("converged");
      assertThat(converged.steps()).isNotEmpty().allSatisfy(step -> {
        assertThat(step.action()).as(playbook + " " + step.id()).isEqualTo("none");
        assertThat(step.commandsRun()).as(playbook + " " + step.id() + " commands_run").isZero();
      });
      assertThat(converged.flag("reboot_pending")).as(playbook + " reboot_pending").isFalse();
    }
    assertThat(rebootsAfterFirst.get(host)).as("reboots of " + host + " (" + PROFILE.get(host) + ")").isLessThanOrEqualTo(1);
    assertThat(lab.reboots(host)).as("reboots after the second applies").isEqualTo(rebootsAfterFirst.get(host));
    assertThat(callsBefore.get(host)).as("the lab's call log of " + host).isNotBlank();
    assertThat(mutatingCallsOfTheSecondApplies(host)).as("calls that change " + host + " during the second applies").isEmpty();
    assertThat(execsDuringSecond.get(host)).as("exec channels of the second applies: one per playbook").isEqualTo(playbooks.size());
  }

  private static void hypervisorOnVfio(String host) {
    assertThat(lab.exec(host, "cat", "/proc/cmdline").strip().split(" ")).contains("intel_iommu=on", "iommu=pt");
    assertThat(driver(host, "0000:42:00.0")).as("GPU driver").isEqualTo("vfio-pci");
    assertThat(driver(host, "0000:42:00.1")).as("audio driver").isEqualTo("vfio-pci");
    assertThat(lab.exec(host, "systemctl", "is-active", serviceName(host, "nova-compute"), serviceName(host, "nova-scheduler"),
        serviceName(host, "nova-api"))).isEqualTo("active\nactive\nactive\n");
    assertThat(lab.exec(host, "openstack", "--os-cloud", "lab", "flavor", "show", "GPU.SSD.30", "-f", "json"))
        .contains("\"pci_passthrough:alias\": \"nvidia:1\"");
  }

  private static String serviceName(String host, String unit) {
    return List.of("rocky9", "centos7").contains(PROFILE.get(host)) ? "openstack-" + unit : unit;
  }

  private static int restarts(String host, String unit) {
    return Integer.parseInt(lab.exec(host, "sh", "-c", "cat /var/lib/lab/services/" + unit + ".restart 2>/dev/null | wc -l").strip());
  }

  private static void gpuNodeOnNvidia(String host) {
    assertThat(driver(host, "0000:42:00.0")).as("GPU driver").isEqualTo("nvidia");
    assertThat(lab.calls(host, "NVIDIA-Linux-x86_64-367.35.run")).as("driver installer runs").isEqualTo(1);
    assertThat(lab.calls(host, "cuda_8.0.27_linux.run")).as("CUDA installer runs").isEqualTo(1);
    assertThat(lab.calls(host, "cuda_8.0.27.1_linux.run")).as("CUDA patch runs").isEqualTo(1);
  }

  private static void gpuNodeBlockedByPerl(String host) {
    Plumb plan = gpuNodePlanOn.get(host);
    assertThat(plan.exit()).as(plan.toString()).isZero();
    assertThat(plan.json().host(host).step("cuda_toolkit[8.0.27]").blockers()).as(plan.toString())
        .anySatisfy(b -> assertThat(b).startsWith("CUDA 8.0.27's runfile installs nothing under Perl 5.26 or later"));
    assertThat(lab.calls(host, "cuda_8.0.27_linux.run")).isZero();
  }

  @Test
  void defaultUbuntu1604_hypervisorControllerAndGpuNode_convergeWithOneReboot_thenASecondApplyRunsNothing() {
    convergedOnceThenNothing("lab01", List.of(HYPERVISOR, CONTROLLER));
    hypervisorOnVfio("lab01");
    assertThat(lab.calls("lab01", "update-grub")).as("update-grub calls").isEqualTo(1);
    assertThat(lab.calls("lab01", "update-initramfs")).as("update-initramfs calls").isEqualTo(1);
    assertThat(restarts("lab01", "nova-compute")).as("nova-compute restarts").isEqualTo(1);

    convergedOnceThenNothing("lab05", List.of(GPU_NODE));
    gpuNodeOnNvidia("lab05");
    // One rebuild per phase: the nouveau blacklist's before the reboot, the driver's after it.
    assertThat(lab.calls("lab05", "update-initramfs")).as("update-initramfs calls on the GPU node").isLessThanOrEqualTo(2);
  }

  @Test
  void ubuntu2204_hypervisorAndController_convergeWithOneRebootAndOneGrubRebuild_thenASecondApplyRunsNothing() {
    String host = "lab02";
    assertThat(lab.exec(host, "uname", "-r").strip()).isEqualTo("5.15.0-91-generic");
    convergedOnceThenNothing(host, List.of(HYPERVISOR, CONTROLLER));
    hypervisorOnVfio(host);
    // vfio-pci is built in: its ids go on the command line, beside the IOMMU tokens, in one rebuild.
    assertThat(lab.exec(host, "cat", "/proc/cmdline").strip().split(" ")).contains("vfio-pci.ids=10de:10f0,10de:1b80");
    assertThat(lab.calls(host, "update-grub")).as("update-grub calls").isEqualTo(1);
    assertThat(lab.calls(host, "update-initramfs")).as("update-initramfs calls").isEqualTo(1);
    assertThat(lab.exec(host, "cat", "/var/lib/lab/calls/update-initramfs")).contains("-k 5.15.0-91-generic");
    assertThat(restarts(host, "nova-compute")).as("nova-compute restarts").isEqualTo(1);

    gpuNodeBlockedByPerl(host);
  }

  @Test
  void rocky9_hypervisorAndController_convergeWithOneRebootIntoThePendingKernel_thenASecondApplyRunsNothing() {
    String host = "lab03";
    convergedOnceThenNothing(host, List.of(HYPERVISOR, CONTROLLER));
    hypervisorOnVfio(host);
    assertThat(lab.exec(host, "uname", "-r").strip()).as("the pending default kernel booted").isEqualTo("5.14.0-427.13.1.el9_4.x86_64");
    assertThat(lab.exec(host, "cat", "/etc/kernel/cmdline").strip().split(" "))
        .as("kernels installed later get the tokens too").contains("intel_iommu=on", "iommu=pt");
    assertThat(lab.calls(host, "dracut")).as("dracut calls").isEqualTo(1);
    assertThat(lab.exec(host, "cat", "/var/lib/lab/calls/dracut")).as("the pending kernel's initramfs is rebuilt")
        .contains("--kver 5.14.0-427.13.1.el9_4.x86_64");
    assertThat(lab.calls(host, "grub2-mkconfig")).as("grub2-mkconfig calls (BLS: grubby edits the entries)").isZero();
    assertThat(restarts(host, "openstack-nova-compute")).as("openstack-nova-compute restarts").isEqualTo(1);
    assertThat(restarts(host, "openstack-nova-scheduler")).as("openstack-nova-scheduler restarts").isEqualTo(1);

    gpuNodeBlockedByPerl(host);
  }

  @Test
  void centos7_hypervisorControllerAndGpuNode_convergeWithOneReboot_thenASecondApplyRunsNothing() {
    String host = "lab04";
    convergedOnceThenNothing(host, List.of(HYPERVISOR, CONTROLLER));
    hypervisorOnVfio(host);
    assertThat(lab.calls(host, "grub2-mkconfig")).as("grub2-mkconfig calls").isEqualTo(1);
    assertThat(lab.exec(host, "cat", "/var/lib/lab/calls/grub2-mkconfig")).contains("-o /boot/grub2/grub.cfg");
    assertThat(lab.calls(host, "dracut")).as("dracut calls").isEqualTo(1);
    assertThat(restarts(host, "openstack-nova-compute")).as("openstack-nova-compute restarts").isEqualTo(1);
    assertThat(restarts(host, "openstack-nova-scheduler")).as("openstack-nova-scheduler restarts").isEqualTo(1);

    convergedOnceThenNothing("lab06", List.of(GPU_NODE));
    gpuNodeOnNvidia("lab06");
    // One rebuild per phase: the nouveau blacklist's before the reboot, the driver's after it.
    assertThat(lab.calls("lab06", "dracut")).as("dracut calls on the GPU node").isLessThanOrEqualTo(2);
  }
}
