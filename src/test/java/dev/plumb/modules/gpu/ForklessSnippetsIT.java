package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.apply.Lease;
import dev.plumb.cli.Main;
import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactScript;
import dev.plumb.lab.Lab;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 (speed): the fact snippets rewritten to run without processes (shell builtins instead of
 * uname, cat, readlink and grep; one sed instead of two; one awk instead of awk, sort and sed per
 * kernel) print byte for byte what the snippets before them printed, with the same exit status, on
 * lab hosts of every shape their output depends on: nouveau or vfio-pci bound, IOMMU groups or
 * none, two cards, Ubuntu 22.04's built-in vfio and /proc/modules, Rocky 9 with a pending kernel
 * (grubby's default; the next boot's modules.builtin is another kernel's), CentOS 7's linux16
 * line, an EFI host with several configs and releases that are regex-special or look like numbers,
 * an AMD CPU, no lease yet, a lease taken, a lease held. The snippets now run as the fact script
 * runs them (the inline ones in its own shell, {@link Fact.Command#inline}), under dash and under
 * bash as sh (EL's), and the kept shell is left as they found it.
 */
class ForklessSnippetsIT {
  /**
   * The snippets as they were before the rewrite (each started 1 to 21 processes). The running
   * kernel's and the built-in modules' snippets are gone since, for NextKernel's (issue 15), whose
   * own rewrite is here too (it started five on a Debian host: awk per config, printf and sort,
   * sed per kernel; on EL also sed and head after grubby).
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
      "tools", "PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin; for t in update-grub grub2-mkconfig grub-mkconfig grubby "
          + "update-initramfs dracut modprobe nvidia-smi dkms openstack virsh virt-xml nvcc cc gcc; "
          + "do command -v \"$t\" >/dev/null 2>&1 && echo \"$t\"; done; [ -d /sys/firmware/efi ] && echo efi; true",
      "grubby probe", "command -v grubby >/dev/null 2>&1 && grubby --info=DEFAULT",
      "loaded modules", "if [ -r /proc/modules ]; then cut -d' ' -f1 /proc/modules; "
          + "else for f in /sys/module/*/initstate; do [ -e \"$f\" ] || continue; d=${f%/initstate}; echo \"${d##*/}\"; done; fi",
      "lease probe", "printf 'gen %s\\n' \"$(cat '/run/plumb/lease.gen' 2>/dev/null || echo 0)\"\n"
          + "if [ -s '/run/plumb/lease.holder' ] && command -v flock >/dev/null 2>&1 && ! flock -n -s '/run/plumb/lease'"
          + " true 2>/dev/null; then cat '/run/plumb/lease.holder'; fi",
      "next kernel",
      "PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin; r=; read -r r </proc/sys/kernel/osrelease 2>/dev/null || r=$(uname -r); "
          + "echo \"running $r\"; ks=$r; "
          + "for t in update-grub grub2-mkconfig grubby; do command -v \"$t\" >/dev/null 2>&1 && echo \"tool $t\"; done; "
          + "[ -d /sys/firmware/efi ] && echo efi; "
          + "if command -v grubby >/dev/null 2>&1; then "
          + "if i=$(grubby --info=DEFAULT 2>/dev/null); then "
          + "k=$(printf '%s\\n' \"$i\" | sed -n 's/^kernel=\"\\{0,1\\}\\([^\"]*\\)\"\\{0,1\\}$/\\1/p' | head -n 1); "
          + "echo \"grubby $k\"; ks=\"$ks ${k##*vmlinuz-}\"; else echo grubby-failed; fi; fi; "
          + "for c in /boot/efi/EFI/*/grub.cfg /boot/grub2/grub.cfg /boot/grub/grub.cfg; do [ -r \"$c\" ] || continue; "
          + "i=$(awk '$1 ~ /^linux(16|efi)?$/ { print $2; exit }' \"$c\"); echo \"cfg $c $i\"; ks=\"$ks ${i##*vmlinuz-}\"; done; "
          + "for k in $(printf '%s\\n' $ks | sort -u); do d=/lib/modules/$k; [ -d \"$d\" ] || continue; echo \"kernel $k\"; "
          + "[ -d \"$d/build\" ] && echo \"headers $k\"; "
          + "sed -n \"s#^.*/##; s#\\.ko.*\\$##; s#^#builtin $k #p\" \"$d/modules.builtin\" 2>/dev/null; done; true");

  private static final Map<String, Fact.Command> NOW = Map.of(
      "pci devices", PciDevices.FACT,
      "cpu vendor", GpuLints.IommuVendor.CPU_VENDOR,
      "tools", GpuFacts.TOOLS,
      "grubby probe", KernelCmdline.GRUBBY,
      "loaded modules", GpuFacts.LOADED_MODULES,
      "lease probe", (Fact.Command) Lease.PROBE,
      "next kernel", (Fact.Command) NextKernel.FACT.fact());

  /**
   * Configs under /boot/efi (one without a linux line, one empty, linuxefi and linux16 lines, a
   * (hd0,gpt2) prefix), /sys/firmware/efi, and kernel directories: two with headers, one named by
   * no config, modules.builtin with an empty line, a line without '/', {@code .ko.zst} and {@code
   * .kob.ko}.
   */
  private static final String ODD_KERNELS = String.join("\n",
      "set -e",
      "mkdir -p /sys/firmware/efi /boot/grub /boot/efi/EFI/aa /boot/efi/EFI/bb /boot/efi/EFI/cc /boot/efi/EFI/empty /boot/efi/EFI/ubuntu /boot/efi/EFI/zz",
      "printf 'set default=0\\n' >/boot/efi/EFI/aa/grub.cfg",
      "printf 'linux /vmlinuz-1.0\\n' >/boot/efi/EFI/bb/grub.cfg",
      "printf 'linux /vmlinuz-9\\n' >/boot/efi/EFI/cc/grub.cfg",
      ": >/boot/efi/EFI/empty/grub.cfg",
      "printf 'menuentry x {\\n\\tlinuxefi\\t/vmlinuz-5.4.0+x^y$z.(1)|2 root=/dev/sda1 ro\\n}\\nlinux /vmlinuz-ignored\\n' >/boot/efi/EFI/ubuntu/grub.cfg",
      "printf '  linux16 (hd0,gpt2)/vmlinuz-1.00 ro\\nlinux /vmlinuz-10\\n' >/boot/efi/EFI/zz/grub.cfg",
      "printf 'linux /boot/vmlinuz-10\\n' >/boot/grub/grub.cfg",
      "for k in '5.4.0+x^y$z.(1)|2' 1.0 1.00 10 9 unused; do mkdir -p \"/lib/modules/$k\"; done",
      "mkdir -p '/lib/modules/5.4.0+x^y$z.(1)|2/build' /lib/modules/10/build",
      "printf 'kernel/drivers/vfio/vfio.ko\\n\\nplain\\nkernel/a/b.ko.zst\\nx/\\nkernel/c/d.kob.ko\\nkernel/e+f.ko\\n' "
          + ">'/lib/modules/5.4.0+x^y$z.(1)|2/modules.builtin'",
      "printf 'kernel/one.ko\\n' >/lib/modules/1.00/modules.builtin",
      "printf 'kernel/nine.ko\\n' >/lib/modules/9/modules.builtin");

  /** dash (Ubuntu's sh, and the lab's) and bash as sh (EL's). */
  private static final List<List<String>> SHELLS = List.of(List.of("sh"), List.of("bash", "--posix"));

  private static final List<String> SH = SHELLS.get(0);

  private static Lab lab;

  @BeforeAll
  static void up() {
    lab = Lab.up(5);
    lab.set("lab02", "profile=ubuntu2204");
    lab.set("lab03", "profile=rocky9");
    lab.set("lab04", "cpu=amd");
    lab.set("lab04", "iommu=cmdline");
    lab.set("lab04", "cards=2");
    lab.set("lab05", "profile=centos7");
    for (String h : List.of("lab02", "lab03", "lab04", "lab05")) {
      lab.reset(h);
    }
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.close();
    }
  }

  private static String exec(String host, List<String> shell, String script) {
    List<String> argv = new java.util.ArrayList<>(shell);
    argv.addAll(List.of("-c", script));
    return lab.exec(host, argv.toArray(String[]::new));
  }

  /** stdout, then the exit status, of a snippet run as the fact script ran it before: a subshell, stdin and stderr closed off. */
  private static String runBefore(String host, List<String> shell, String snippet) {
    return exec(host, shell, "(\n" + snippet + "\n) </dev/null 2>/dev/null; echo \"[exit $?]\"");
  }

  /** The same of a fact run by the fact script now (an inline one in the script's own shell), as plumb decodes it. */
  private static String run(String host, List<String> shell, Fact.Command fact) {
    FactScript script = FactScript.of(List.of(fact));
    FactResult.Output out = (FactResult.Output) script.decode(exec(host, shell, script.script()).getBytes(StandardCharsets.UTF_8)).get(fact);
    return out.text() + "[exit " + out.exitStatus() + "]\n";
  }

  private static void sameOnEveryHost(SoftAssertions soft, String state) {
    for (String host : lab.hosts()) {
      for (List<String> shell : SHELLS) {
        BEFORE.forEach((name, before) -> soft.assertThat(run(host, shell, NOW.get(name)))
            .as(host + " " + shell + " " + state + ": " + name).isEqualTo(runBefore(host, shell, before)));
      }
    }
  }

  /** Every inline snippet run twice in one shell, as the watch's kept shell runs them: the shell's state is as before. */
  private static void keptShellUnchanged(SoftAssertions soft, String state) {
    String script = FactScript.of(List.copyOf(NOW.values())).script();
    String show = "printf '[%s|%s|%s|%s|%s|' \"$PWD\" \"$PATH\" \"$IFS\" \"$-\" \"$*\"; umask; trap; echo ]\n";
    for (String host : lab.hosts()) {
      for (List<String> shell : SHELLS) {
        String out = exec(host, shell, "set -- a 'b c'; cd /root || exit 9\n" + show + "{\n" + script + "\n} </dev/null >/dev/null 2>&1\n"
            + show + "{\n" + script + "\n} </dev/null >/dev/null 2>&1\n" + show);
        String[] shown = out.split("\n]\n", -1);
        soft.assertThat(shown[0]).as(host + " " + shell + " " + state).startsWith("[/root|");
        soft.assertThat(List.of(shown[1], shown[2])).as(host + " " + shell + " " + state + ": the kept shell").containsOnly(shown[0]);
      }
    }
  }

  @Test
  void rewrittenSnippets_printWhatTheOldOnesPrinted_onEveryShapeOfHost() {
    SoftAssertions soft = new SoftAssertions();
    sameOnEveryHost(soft, "fresh");
    keptShellUnchanged(soft, "fresh");
    assertThat(run("lab04", SH, NOW.get("cpu vendor"))).contains("AuthenticAMD");
    assertThat(run("lab01", SH, NOW.get("pci devices"))).contains("nouveau 13");
    assertThat(run("lab02", SH, NOW.get("loaded modules"))).contains("nouveau\n");
    assertThat(run("lab01", SH, NOW.get("tools"))).contains("update-grub\n");
    assertThat(run("lab03", SH, NOW.get("next kernel")))
        .contains("grubby /boot/vmlinuz-5.14.0-427.13.1.el9_4.x86_64\n").contains("kernel 5.14.0-362.8.1.el9_3.x86_64\n");

    // lab05 made an EFI host (the lab has no knob for it) whose configs name releases that are
    // regex-special or look like numbers: 1.0 and 1.00 are two, 10 sorts before 9, as bytes (10
    // named last, so that awk compares it with 9 first: as numbers it would stay after it).
    lab.exec("lab05", "sh", "-c", ODD_KERNELS);
    assertThat(run("lab05", SH, NOW.get("next kernel")))
        .contains("\nefi\n", "cfg /boot/efi/EFI/aa/grub.cfg \n", "cfg /boot/efi/EFI/zz/grub.cfg (hd0,gpt2)/vmlinuz-1.00\n")
        .contains("kernel 1.0\nkernel 1.00\nbuiltin 1.00 one\nkernel 10\nheaders 10\nkernel 3.10.0-1160.el7.x86_64\n")
        .contains("kernel 5.4.0+x^y$z.(1)|2\nheaders 5.4.0+x^y$z.(1)|2\nbuiltin 5.4.0+x^y$z.(1)|2 vfio\n"
            + "builtin 5.4.0+x^y$z.(1)|2 \nbuiltin 5.4.0+x^y$z.(1)|2 plain\nbuiltin 5.4.0+x^y$z.(1)|2 b\n")
        .contains("kernel 9\nbuiltin 9 nine\n[exit 0]").doesNotContain("unused");
    sameOnEveryHost(soft, "lab05 an EFI host with odd releases");
    keptShellUnchanged(soft, "lab05 an EFI host with odd releases");

    // Converged and rebooted: the card bound to vfio-pci, a lease taken once (lease.gen), none held.
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "apply", "--no-record", "--no-color",
        "-i", lab.inventory().toString(), "-l", "lab01", "--reboot", "if-needed", "playbooks/gpu-hypervisor.yml");
    assertThat(exit).as(out + "\n" + err).isZero();
    assertThat(run("lab01", SH, NOW.get("pci devices"))).contains("vfio-pci 13");
    assertThat(run("lab01", SH, NOW.get("lease probe"))).startsWith("gen 1\n");
    sameOnEveryHost(soft, "after an apply with a reboot");
    keptShellUnchanged(soft, "after an apply with a reboot");

    // A lease held by another run: the probe prints its holder.
    lab.exec("lab02", "sh", "-c", "mkdir -p /run/plumb && echo 'run r1 from c1 pid 1 since 2026-01-01T00:00:00Z' "
        + "> /run/plumb/lease.holder && echo 4 > /run/plumb/lease.gen && "
        + "(flock /run/plumb/lease sleep 15 </dev/null >/dev/null 2>&1 &)");
    assertThat(run("lab02", SH, NOW.get("lease probe"))).contains("gen 4\nrun r1");
    sameOnEveryHost(soft, "with a lease held on lab02");
    keptShellUnchanged(soft, "with a lease held on lab02");
    soft.assertAll();
  }

  /**
   * The kernel attributes the fact script reads with the shell's {@code read} (no {@code cat})
   * decode to the bytes {@code cat} prints, under dash and under bash as sh (EL's): the boot id and
   * the running cmdline (files the lab writes at each boot), a sysctl of the real kernel (numeric:
   * dash's byte reads get its first byte only, so cat reads it), PCI attributes, one missing.
   */
  @Test
  void kernelAttributes_readByTheShell_decodeToWhatCatPrints() {
    List<String> paths = List.of("/proc/sys/kernel/random/boot_id", "/proc/cmdline", "/proc/sys/kernel/osrelease",
        "/proc/sys/kernel/pid_max", "/sys/bus/pci/devices/0000:42:00.0/vendor", "/sys/bus/pci/devices/0000:42:00.0/class",
        "/sys/bus/pci/devices/0000:42:00.0/driver_override");
    String missing = "/sys/bus/pci/devices/0000:99:00.0/vendor";
    List<Fact> facts = new java.util.ArrayList<>();
    paths.forEach(p -> facts.add(Fact.file(p)));
    facts.add(Fact.file(missing));
    SoftAssertions soft = new SoftAssertions();
    for (String host : lab.hosts()) {
      for (List<String> shell : List.of(List.of("sh"), List.of("bash", "--posix"))) {
        FactScript script = FactScript.of(facts);
        List<String> argv = new java.util.ArrayList<>(shell);
        argv.addAll(List.of("-c", script.script()));
        var read = script.decode(lab.exec(host, argv.toArray(String[]::new)).getBytes(StandardCharsets.UTF_8));
        for (String p : paths) {
          soft.assertThat(read.get(Fact.file(p))).as(host + " " + shell + " " + p)
              .isEqualTo(new FactResult.Content(lab.exec(host, "cat", p).getBytes(StandardCharsets.UTF_8)));
        }
        soft.assertThat(read.get(Fact.file(missing))).as(host + " " + shell + " " + missing).isInstanceOf(FactResult.Missing.class);
      }
    }
    soft.assertAll();
  }
}
