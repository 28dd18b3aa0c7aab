package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, nvidia_driver end to end with the lab's fake installers (lab/host/lib/nvidia-run.sh,
 * which do what nvidia-installer 367.35/375.26 does: build for {@code uname -r} unless given
 * --kernel-name, unload the loaded modules first and stop when one is in use, load the new one
 * last). On rocky9 a newer kernel is the boot loader's default: the module must be built for it
 * too, or the next boot has no driver; with it built there and loaded now, no reboot is needed. An upgrade over a driver in use is a blocker naming the
 * users, never a failed installer; over a loaded driver nobody uses, the installer swaps it now.
 */
class NvidiaDriverIT {
  private static final String GPU_NODE = "playbooks/gpu-node.yml";
  private static final String RUN_367 = "NVIDIA-Linux-x86_64-367.35.run";
  private static final String RUN_375 = "NVIDIA-Linux-x86_64-375.26.run";
  /** lab/installers.sha256 */
  private static final String SHA_375 = "7db0727ceab88d7b6a89e0d5ab546254feffadf0a5e782ca706d90bbf02ac3e8";
  private static final String EL9_RUNNING = "5.14.0-362.8.1.el9_3.x86_64";
  private static final String EL9_NEXT = "5.14.0-427.13.1.el9_4.x86_64";

  @RegisterExtension static final Lab lab = Lab.fresh(2);



  /** gpu-node.yml targets the group gpu_nodes: the lab's hosts, in that group, with absolute paths. */
  private static Path gpuNodes(Path dir) throws Exception {
    Path inventory = dir.resolve("gpu-nodes.yml");
    Files.writeString(inventory, Files.readString(lab.inventory())
        .replace("hypervisors:", "gpu_nodes:")
        .replace("ansible_ssh_private_key_file: id_ed25519", "ansible_ssh_private_key_file: " + lab.keyFile())
        .replace("known_hosts_file: known_hosts", "known_hosts_file: " + lab.knownHosts()));
    return inventory;
  }

  private static Plumb apply(Path inventory, String host, String... vars) {
    String[] args = new String[] {"apply", "--format", "json", "--reboot", "if-needed", "-i", inventory.toString(), "-l", host};
    String[] all = java.util.stream.Stream.of(args, vars, new String[] {GPU_NODE}).flatMap(java.util.Arrays::stream)
        .toArray(String[]::new);
    return Plumb.run(all);
  }

  private static void secondApplyRunsNothing(Path inventory, String host, String... vars) {
    int execsBefore = lab.execCount(host);
    Plumb again = apply(inventory, host, vars);
    Converged.ranNothing(again, host);
    assertThat(lab.execCount(host) - execsBefore).as("exec channels opened by the second apply").isEqualTo(1);
  }

  private static String driver(String host, String address) {
    String link = lab.exec(host, "sh", "-c", "readlink /sys/bus/pci/devices/" + address + "/driver || true").strip();
    return link.substring(link.lastIndexOf('/') + 1);
  }

  @Test
  void rocky9_pendingKernel_theDriverIsBuiltForTheKernelThatBootsNext_andLoadedNow_noReboot_thenASecondApplyRunsNothing(@TempDir Path dir)
      throws Exception {
    String host = "lab01";
    lab.set(host, "profile=rocky9");
    lab.set(host, "perl=5.016003"); // CUDA 8's runfile needs Perl < 5.26 (ProfilesIT covers the blocker)
    lab.reset(host);
    lab.exec(host, "modprobe", "-r", "nouveau"); // the GPU is free: the installer runs before any reboot
    assertThat(lab.exec(host, "uname", "-r").strip()).isEqualTo(EL9_RUNNING);
    Path inventory = gpuNodes(dir);

    Plumb first = apply(inventory, host);
    assertThat(first.exit()).as(first.toString()).isZero();
    Plumb.Host result = first.json().host(host);
    assertThat(result.problems()).as(result.toString()).isEmpty();
    assertThat(result.outcome()).isEqualTo("changed");
    assertThat(lab.calls(host, RUN_367)).as("installer runs").isEqualTo(1);
    assertThat(lab.exec(host, "cat", "/var/lib/lab/calls/dkms")).contains("install -m nvidia -v 367.35 -k " + EL9_NEXT);
    // The installer loaded the driver in the running kernel and DKMS built it for the next one, so
    // the running state is what the next boot gives: no reboot is plumb's to make (HostRun reads the
    // facts again at the barrier). The pending kernel is the operator's update to boot.
    assertThat(lab.reboots(host)).as("no reboot: nothing differs between now and the next boot").isZero();
    assertThat(lab.exec(host, "modinfo", "-k", EL9_NEXT, "-F", "version", "nvidia").strip())
        .as("the next kernel's module").isEqualTo("367.35");
    assertThat(lab.exec(host, "cat", "/proc/driver/nvidia/version")).contains("Kernel Module  367.35");
    assertThat(driver(host, "0000:42:00.0")).as("GPU driver now").isEqualTo("nvidia");

    secondApplyRunsNothing(inventory, host);
    assertThat(lab.calls(host, RUN_367)).isEqualTo(1);
    assertThat(lab.reboots(host)).isZero();
  }

  @Test
  void upgradeTo37526_overADriverInUse_blocksNamingTheUsers_runsNoInstaller_thenNobodyUsesIt_installsOnceWithoutReboot(
      @TempDir Path dir) throws Exception {
    String host = "lab02";
    lab.reset(host);
    lab.exec(host, "modprobe", "-r", "nouveau");
    Path inventory = gpuNodes(dir);
    Plumb setup = apply(inventory, host);
    assertThat(setup.exit()).as(setup.toString()).isZero();
    assertThat(lab.exec(host, "cat", "/proc/driver/nvidia/version")).contains("Kernel Module  367.35");
    int reboots = lab.reboots(host);
    String[] to375 = {"-e", "nvidia_version=375.26", "-e", "nvidia_sha256=" + SHA_375};

    // Installed but not loaded: reported.
    lab.exec(host, "modprobe", "-r", "nvidia_uvm", "nvidia");
    Plumb notLoaded = Plumb.run("plan", "--format", "json", "-i", inventory.toString(), "-l", host, GPU_NODE);
    assertThat(notLoaded.exit()).as(notLoaded.toString()).isZero();
    assertThat(notLoaded.json().host(host).step("nvidia_driver[367.35]").notes())
        .anySatisfy(n -> assertThat(n).startsWith("installed 367.35 but not loaded"));
    lab.exec(host, "modprobe", "nvidia-uvm");

    // In use: a CUDA job holds /dev/nvidia0.
    lab.set(host, "driver_in_use=1");
    Plumb blocked = apply(inventory, host, to375);
    assertThat(blocked.exit()).as(blocked.toString()).isNotZero();
    Plumb.Step step = blocked.json().host(host).step("nvidia_driver[375.26]");
    assertThat(step.blockers()).as(step.toString()).containsExactly("the loaded nvidia module is in use by python3 (pid 4242): "
        + "the installer cannot unload it; stop them (or reboot without the driver) and apply again");
    assertThat(step.commandsRun()).isZero();
    assertThat(lab.calls(host, RUN_375)).as("375.26 installer runs while in use").isZero();
    assertThat(lab.exec(host, "cat", "/proc/driver/nvidia/version")).contains("Kernel Module  367.35");

    // Nobody uses it: the installer unloads 367.35 and loads 375.26; nvidia-uvm follows; no reboot.
    lab.set(host, "driver_in_use=0");
    Plumb upgrade = apply(inventory, host, to375);
    assertThat(upgrade.exit()).as(upgrade.toString()).isZero();
    Plumb.Host result = upgrade.json().host(host);
    assertThat(result.outcome()).as(result.toString()).isEqualTo("changed");
    assertThat(result.flag("rebooted")).isFalse();
    assertThat(lab.calls(host, RUN_375)).as("375.26 installer runs").isEqualTo(1);
    assertThat(lab.reboots(host)).isEqualTo(reboots);
    assertThat(lab.exec(host, "cat", "/proc/driver/nvidia/version")).contains("Kernel Module  375.26");
    assertThat(lab.exec(host, "cat", "/sys/module/nvidia_uvm/initstate")).isEqualTo("live\n");

    secondApplyRunsNothing(inventory, host, to375);
    assertThat(lab.calls(host, RUN_375)).isEqualTo(1);
    assertThat(lab.reboots(host)).isEqualTo(reboots);
  }
}
