package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, the host side: the shipped hypervisor playbook on the host shapes operators have
 * (lab knobs in lab/README.md). Each test works on its own host and resets it first. The default
 * profile's run of the same playbook is RebootIT's first test.
 */
class GpuHostShapesIT {
  private static final String HYPERVISOR = "playbooks/gpu-hypervisor.yml";

  @RegisterExtension static final Lab lab = Lab.fresh(1);
  private static final String inventory = lab.inventory().toString();

  private static Plumb apply(String host, String... extra) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("apply", "--format", "json", "--reboot", "if-needed",
        "-i", inventory, "-l", host, "-e", "openstack_cloud=lab"));
    for (String e : extra) {
      args.add("-e");
      args.add(e);
    }
    args.add(HYPERVISOR);
    return Plumb.run(args.toArray(String[]::new));
  }

  /** A second apply changes nothing and runs no command, in one exec channel. */
  private static void secondApplyRunsNothing(String host, String... extra) {
    int reboots = lab.reboots(host);
    Plumb again = apply(host, extra);
    Converged.ranNothing(again, host);
    assertThat(lab.reboots(host)).as("reboots after the second apply").isEqualTo(reboots);
  }

  @Test
  void ubuntu2204_vfioPciBuiltIn_idsOnTheCommandLine_oneReboot_thenASecondApplyRunsNothing(@TempDir Path dir) throws Exception {
    String host = "lab01";
    lab.set(host, "profile=ubuntu2204");
    try {
      lab.reset(host);
      assertThat(lab.exec(host, "cat", "/proc/modules")).contains("nouveau ").doesNotContain("vfio");

      Plumb apply = apply(host);
      assertThat(apply.exit()).as(apply.toString()).isZero();
      assertThat(apply.json().host(host).flag("rebooted")).isTrue();
      assertThat(lab.reboots(host)).as("reboots").isEqualTo(1);
      // modprobe.d options are never read by a built-in vfio-pci: only the command line binds.
      assertThat(lab.exec(host, "cat", "/proc/cmdline").strip().split(" "))
          .contains("intel_iommu=on", "iommu=pt", "vfio-pci.ids=10de:10f0,10de:1b80");
      assertThat(lab.exec(host, "cat", "/etc/modprobe.d/vfio.conf")).doesNotContain("options vfio-pci");
      assertThat(lab.driver(host, "0000:42:00.0")).as("GPU driver").isEqualTo("vfio-pci");
      assertThat(lab.driver(host, "0000:42:00.1")).as("audio driver").isEqualTo("vfio-pci");
      assertThat(lab.exec(host, "cat", "/proc/modules")).as("built-in modules are not in /proc/modules").doesNotContain("vfio");

      secondApplyRunsNothing(host);

      // Built in, vfio_pci is loaded although no /proc/modules line or initstate says so.
      Path builtin = dir.resolve("builtin.yml");
      Files.writeString(builtin, """
          - hosts: hypervisors
            resources:
              - kernel_module: {name: vfio-pci, boot: false}
              - assert: {that: {module_loaded: vfio_pci}}
                name: vfio-pci-loaded
          """);
      Plumb check = Plumb.run("check", "-i", inventory, "-l", host, builtin.toString());
      assertThat(check.exit()).as(check.toString()).isZero();
      assertThat(check.out()).contains(host + "  ok");
    } finally {
      lab.set(host, "profile=default");
    }
  }

  @Test
  void turingCard_fourFunctions_softdepsForEachFunctionsDriver_allOnVfioPciAfterOneReboot() {
    String host = "lab01";
    lab.set(host, "card=turing");
    try {
      lab.reset(host);
      assertThat(lab.driver(host, "0000:42:00.2")).as("USB function at fresh").isEqualTo("xhci_hcd");
      assertThat(lab.driver(host, "0000:42:00.3")).as("UCSI function at fresh").isEqualTo("nvidia-gpu");

      Plumb apply = apply(host, "gpu_device=1e87");
      assertThat(apply.exit()).as(apply.toString()).isZero();
      assertThat(lab.reboots(host)).as("reboots").isEqualTo(1);
      assertThat(lab.exec(host, "cat", "/etc/modprobe.d/vfio.conf"))
          .contains("options vfio-pci ids=10de:10f8,10de:1ad8,10de:1ad9,10de:1e87",
              "softdep xhci_pci pre: vfio-pci", "softdep i2c_nvidia_gpu pre: vfio-pci");
      for (String function : new String[] {"0000:42:00.0", "0000:42:00.1", "0000:42:00.2", "0000:42:00.3"}) {
        assertThat(lab.driver(host, function)).as("driver of " + function).isEqualTo("vfio-pci");
      }

      secondApplyRunsNothing(host, "gpu_device=1e87");
    } finally {
      lab.set(host, "card=pascal");
    }
  }

  @Test
  void noAcs_gpuGroupedWithTheHostsNic_isBlockedListingTheGroup_theNicStaysWithTheHost() {
    String host = "lab01";
    lab.set(host, "acs=none");
    try {
      lab.reset(host);
      Plumb apply = apply(host);
      assertThat(apply.exit()).as(apply.toString()).isNotZero();
      assertThat(apply.out()).contains("IOMMU group 13 of 0000:42:00.0 also holds devices outside the GPU's slot",
          "0000:00:1f.6 8086:15b8 [0200] (e1000e)");
      assertThat(lab.exec(host, "sh", "-c", "cat /etc/modprobe.d/vfio.conf 2>/dev/null || echo none")).isEqualTo("none\n");
      assertThat(lab.reboots(host)).as("at most the one reboot the other resources need").isLessThanOrEqualTo(1);
      assertThat(lab.driver(host, "0000:00:1f.6")).as("the NIC's driver").isEqualTo("e1000e");
    } finally {
      lab.set(host, "acs=on");
    }
  }

  @Test
  void twoIdenticalCards_oneKeptOnTheHost_driverOverrideTakesOnlyTheAddressedOne(@TempDir Path dir) throws Exception {
    String host = "lab01";
    lab.set(host, "cards=2");
    try {
      lab.reset(host);
      Path playbook = dir.resolve("one-of-two.yml");
      Files.writeString(playbook, """
          - hosts: hypervisors
            resources:
              - kernel_cmdline: {present: [intel_iommu=on]}
                name: iommu
              - pci_passthrough: {vendor: "10de", device: "1b80", address: "0000:43:00.0"}
                name: guest-gpu
                notify: rebuild-initramfs
            handlers:
              - initramfs: {}
                name: rebuild-initramfs
          """);
      String[] args = {"apply", "--format", "json", "--reboot", "if-needed", "-i", inventory, "-l", host, playbook.toString()};
      Plumb apply = Plumb.run(args);
      assertThat(apply.exit()).as(apply.toString()).isZero();
      assertThat(lab.reboots(host)).as("reboots").isEqualTo(1);
      assertThat(lab.exec(host, "cat", "/etc/modprobe.d/vfio.conf")).doesNotContain("options vfio-pci").contains("driver_override");
      assertThat(lab.driver(host, "0000:43:00.0")).as("the guest's card").isEqualTo("vfio-pci");
      assertThat(lab.driver(host, "0000:43:00.1")).as("the guest's card's audio").isEqualTo("vfio-pci");
      assertThat(lab.driver(host, "0000:42:00.0")).as("the card kept on the host").isEqualTo("nouveau");
      assertThat(lab.driver(host, "0000:42:00.1")).as("its audio").isEqualTo("snd_hda_intel");

      Plumb again = Plumb.run(args);
      assertThat(again.exit()).as(again.toString()).isZero();
      assertThat(again.json().host(host).steps()).allSatisfy(step -> assertThat(step.commandsRun()).as(step.id()).isZero());
      assertThat(lab.reboots(host)).isEqualTo(1);
    } finally {
      lab.set(host, "cards=1");
    }
  }
}
