package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged entry point users run, {@code bin/plumb} (target/plumb.jar, built by {@code
 * package} before failsafe runs), as a subprocess: against the lab, and on this machine as an
 * unprivileged user.
 */
class PackagedCliIT {
  private static final String HYPERVISOR = "playbooks/gpu-hypervisor.yml";
  private static final List<String> AS_NOBODY =
      List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--");

  @RegisterExtension static final Lab lab = Lab.fresh(2);
  private static Path root;

  @BeforeAll
  static void up() {
    root = lab.root();
  }

  @Test
  void binPlumb_checkAgainstTheLab_exits2OnDrift_then0OnceApplied() {
    assertThat(root.resolve("target/plumb.jar")).as("target/plumb.jar (mvn package runs before the ITs)").isRegularFile();
    String inventory = lab.inventory().toString();
    Map<String, Integer> before = Plumb.execCounts(lab);

    Plumb drift = Plumb.subprocess(root, List.of(), Map.of(), "check", "--no-color", "-i", inventory, HYPERVISOR);
    assertThat(drift.exit()).as(drift.toString()).isEqualTo(2);
    assertThat(drift.err()).as("bin/plumb must not rebuild a fresh jar").doesNotContain("building plumb");
    assertThat(drift.out())
        .containsPattern("lab01  (unknown|rollout|drift): kernel_cmdline\\[iommu\\], module_blacklist\\[host-gpu-drivers\\], pci_passthrough\\[gpu\\], nova_pci\\[nova\\]")
        .containsPattern("lab02  (unknown|rollout|drift): kernel_cmdline\\[iommu\\]")
        .contains("Check: 0 ok, 2 drifted, on 2 hosts.");
    for (String host : lab.hosts()) {
      assertThat(lab.execCount(host) - before.get(host)).as("exec channels on " + host).isEqualTo(1);
    }

    Plumb apply = Plumb.subprocess(root, List.of(), Map.of(), "apply", "--no-color", "--no-record", "-i", inventory, "-l", "lab01", HYPERVISOR);
    assertThat(apply.exit()).as(apply.toString()).isZero();
    assertThat(lab.exec("lab01", "cat", "/etc/modprobe.d/vfio.conf")).contains("options vfio-pci ids=10de:10f0,10de:1b80");

    Plumb ok = Plumb.subprocess(root, List.of(), Map.of(), "check", "--no-color", "-i", inventory, "-l", "lab01", HYPERVISOR);
    assertThat(ok.exit()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("lab01  ok  (reboot pending)", "Check: 1 ok, 0 drifted, on 1 host.");
  }

  @Test
  void binPlumb_planOnThisMachineAsNobody_withAnUnwritableHome_exits0AndPrintsAPlan() throws Exception {
    assertThat(System.getProperty("user.name")).as("switching to nobody (setpriv) needs root, as the lab does").isEqualTo("root");
    for (Path file : List.of(root.resolve("target/plumb.jar"), root.resolve("bin/plumb"))) {
      assertThat(Files.getPosixFilePermissions(file)).as(file + " readable by others").contains(PosixFilePermission.OTHERS_READ);
    }
    try (var libs = Files.list(root.resolve("target/lib"))) {
      assertThat(libs).allSatisfy(jar -> assertThat(Files.getPosixFilePermissions(jar)).as(jar.toString()).contains(PosixFilePermission.OTHERS_READ));
    }
    for (Path dir = root.resolve("target"); dir != null; dir = dir.getParent()) {
      assertThat(Files.getPosixFilePermissions(dir)).as(dir + " traversable by others").contains(PosixFilePermission.OTHERS_EXECUTE);
    }
    Process id = new ProcessBuilder(concat(AS_NOBODY, "id", "-u")).redirectErrorStream(true).start();
    assertThat(new String(id.getInputStream().readAllBytes()).strip()).as("setpriv switches to uid 65534").isEqualTo("65534");
    assertThat(id.waitFor()).isZero();

    // Without a CDS archive bin/plumb would record one in target/ (not writable by nobody): it
    // must see that and not try. Move an existing archive aside for this run.
    Path cds = root.resolve("target/plumb.jsa");
    Path aside = root.resolve("target/plumb.jsa.e2e-aside");
    boolean moved = Files.exists(cds);
    if (moved) {
      Files.move(cds, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Map<String, String> env = Map.of("HOME", "/nonexistent", "USER", "nobody", "LOGNAME", "nobody");
    Plumb plan;
    try {
      plan = Plumb.subprocess(root, AS_NOBODY, env, "plan", "--no-color", HYPERVISOR);
      assertThat(cds).as("nobody cannot write target/: no CDS archive").doesNotExist();
    } finally {
      if (moved) {
        Files.move(aside, cds, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    assertThat(plan.exit()).as(plan.toString()).isZero();
    assertThat(plan.err()).as(plan.toString()).doesNotContainIgnoringCase("exception").doesNotContainIgnoringCase("error").doesNotContain("denied", "building plumb");
    assertThat(plan.out())
        .as(plan.toString())
        .containsPattern("(?m)^localhost  ")
        .contains("kernel_cmdline[iommu]", "module_blacklist[host-gpu-drivers]", "pci_passthrough[gpu]", "nova_pci[nova]")
        .containsPattern("(?m)^Plan: .* on 1 host\\.");
    if (!Files.exists(Path.of("/etc/nova/nova.conf"))) {
      assertThat(plan.out()).contains("blocked: /etc/nova/nova.conf is missing");
    }
  }

  private static List<String> concat(List<String> prefix, String... rest) {
    List<String> all = new java.util.ArrayList<>(prefix);
    all.addAll(List.of(rest));
    return all;
  }
}
