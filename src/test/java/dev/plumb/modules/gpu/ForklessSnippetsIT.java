package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.apply.Lease;
import dev.plumb.cli.Main;
import dev.plumb.facts.Fact;
import dev.plumb.lab.Lab;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 (speed): the fact snippets rewritten to run without processes (shell builtins instead of
 * uname, cat, readlink and grep; one sed instead of two) print byte for byte what the snippets
 * before them printed, with the same exit status, on lab hosts of every shape their output
 * depends on: nouveau or vfio-pci bound, IOMMU groups or none, two cards, Ubuntu 22.04's built-in
 * vfio and /proc/modules, Rocky 9 with a pending kernel (the next boot's modules.builtin is
 * another kernel's), an AMD CPU, no lease yet, a lease taken, a lease held.
 */
class ForklessSnippetsIT {
  /**
   * The snippets as they were before the rewrite (each started 1 to 21 processes). The running
   * kernel's and the built-in modules' snippets are gone since, for NextKernel's (issue 15), which
   * NextKernelTest checks against captures of its own output on the lab's profiles.
   */
  private static final Map<String, String> BEFORE = Map.of(
      "pci devices",
      "for g in /sys/kernel/iommu_groups/*; do [ -d \"$g/devices\" ] || continue; printf 'group %s' \"${g##*/}\"; "
          + "for m in \"$g\"/devices/*; do [ -e \"$m\" ] && printf ' %s' \"${m##*/}\"; done; echo; done; "
          + "for d in /sys/bus/pci/devices/*; do [ -r \"$d/vendor\" ] || continue; "
          + "dr=; [ -L \"$d/driver\" ] && dr=$(readlink \"$d/driver\"); dr=${dr##*/}; [ -n \"$dr\" ] || dr=-; "
          + "g=; [ -L \"$d/iommu_group\" ] && g=$(readlink \"$d/iommu_group\"); g=${g##*/}; [ -n \"$g\" ] || g=-; "
          + "echo \"dev ${d##*/} $(cat \"$d/vendor\") $(cat \"$d/device\") $(cat \"$d/class\") $dr $g\"; done; true",
      "cpu vendor", "grep -m1 '^vendor_id' /proc/cpuinfo",
      "lease probe", "printf 'gen %s\\n' \"$(cat '/run/plumb/lease.gen' 2>/dev/null || echo 0)\"\n"
          + "if [ -s '/run/plumb/lease.holder' ] && command -v flock >/dev/null 2>&1 && ! flock -n -s '/run/plumb/lease'"
          + " true 2>/dev/null; then cat '/run/plumb/lease.holder'; fi");

  private static final Map<String, Fact.Command> NOW = Map.of(
      "pci devices", PciDevices.FACT,
      "cpu vendor", GpuLints.IommuVendor.CPU_VENDOR,
      "lease probe", (Fact.Command) Lease.PROBE);

  private static Lab lab;

  @BeforeAll
  static void up() {
    lab = Lab.up(4);
    lab.set("lab02", "profile=ubuntu2204");
    lab.set("lab03", "profile=rocky9");
    lab.set("lab04", "cpu=amd");
    lab.set("lab04", "iommu=cmdline");
    lab.set("lab04", "cards=2");
    for (String h : List.of("lab02", "lab03", "lab04")) {
      lab.reset(h);
    }
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.close();
    }
  }

  /** stdout, then the exit status, of a snippet run as the fact script runs it (stdin and stderr closed off). */
  private static String run(String host, String snippet) {
    return lab.exec(host, "sh", "-c", "(\n" + snippet + "\n) </dev/null 2>/dev/null; echo \"[exit $?]\"");
  }

  private static Map<String, String> outputs(String host, Map<String, String> snippets) {
    Map<String, String> out = new LinkedHashMap<>();
    snippets.forEach((name, s) -> out.put(name, run(host, s)));
    return out;
  }

  private static void sameOnEveryHost(SoftAssertions soft, String state) {
    Map<String, String> now = new LinkedHashMap<>();
    NOW.forEach((name, f) -> now.put(name, f.script()));
    for (String host : lab.hosts()) {
      Map<String, String> before = outputs(host, BEFORE);
      Map<String, String> after = outputs(host, now);
      before.forEach((name, out) -> soft.assertThat(after.get(name)).as(host + " " + state + ": " + name).isEqualTo(out));
    }
  }

  @Test
  void rewrittenSnippets_printWhatTheOldOnesPrinted_onEveryShapeOfHost() {
    SoftAssertions soft = new SoftAssertions();
    sameOnEveryHost(soft, "fresh");
    assertThat(run("lab04", NOW.get("cpu vendor").script())).contains("AuthenticAMD");
    assertThat(run("lab01", NOW.get("pci devices").script())).contains("nouveau 13");

    // Converged and rebooted: the card bound to vfio-pci, a lease taken once (lease.gen), none held.
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "apply", "--no-record", "--no-color",
        "-i", lab.inventory().toString(), "-l", "lab01", "--reboot", "if-needed", "playbooks/gpu-hypervisor.yml");
    assertThat(exit).as(out + "\n" + err).isZero();
    assertThat(run("lab01", NOW.get("pci devices").script())).contains("vfio-pci 13");
    assertThat(run("lab01", NOW.get("lease probe").script())).startsWith("gen 1\n");
    sameOnEveryHost(soft, "after an apply with a reboot");

    // A lease held by another run: the probe prints its holder.
    lab.exec("lab02", "sh", "-c", "mkdir -p /run/plumb && echo 'run r1 from c1 pid 1 since 2026-01-01T00:00:00Z' "
        + "> /run/plumb/lease.holder && echo 4 > /run/plumb/lease.gen && "
        + "(flock /run/plumb/lease sleep 15 </dev/null >/dev/null 2>&1 &)");
    assertThat(run("lab02", NOW.get("lease probe").script())).contains("gen 4\nrun r1");
    sameOnEveryHost(soft, "with a lease held on lab02");
    soft.assertAll();
  }
}
