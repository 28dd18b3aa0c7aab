package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Label;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NvidiaDriverTest {
  static final NvidiaDriver M = new NvidiaDriver();
  static final String RUN = "/opt/gpu-installers/NVIDIA-Linux-x86_64-367.35.run";
  static final String SHA = "a".repeat(64);

  static Map<String, Object> params(Object... extra) {
    Map<String, Object> p = new LinkedHashMap<>(Map.of("version", "367.35", "installer", RUN, "sha256", SHA));
    for (int i = 0; i < extra.length; i += 2) {
      p.put((String) extra[i], extra[i + 1]);
    }
    return p;
  }

  static Fixtures fresh(Map<String, Object> p) {
    Fixtures f = Fixtures.of(M, p);
    if (p.containsKey("installer")) {
      f.cmd(NvidiaDriver.shaFact(RUN), SHA + "  " + RUN + "\n");
    }
    return f
        .cmd(NvidiaDriver.MODINFO, 1, "")
        .cmd(NvidiaDriver.SMI, 1, "")
        .kernels(Fixtures.kernels("4.4.0-31-generic", null))
        .tools("gcc", "update-initramfs", "dkms", "modprobe")
        .loaded("vfio");
  }

  static Fixtures converged(Map<String, Object> p) {
    return fresh(p).cmd(NvidiaDriver.MODINFO, "4.4.0-31-generic 367.35\n")
        .cmd(NvidiaDriver.SMI, "367.35, 00000000:42:00.0\n")
        .cmd(NvidiaDriver.DKMS, "nvidia/367.35, 4.4.0-31-generic, x86_64: installed\n")
        .file(NvidiaDriver.UVM_FILE, NvidiaDriver.UVM_CONTENT)
        .loaded("nvidia", "nvidia_uvm");
  }

  @Test
  void version_numericPerComponent() {
    assertThat(Version.of("367.35")).isLessThan(Version.of("375.26"));
    assertThat(Version.of("9.2")).isLessThan(Version.of("10.0"));
    assertThat(Version.of("367.100")).isGreaterThan(Version.of("367.35"));
    assertThat(Version.of("367.35")).isEqualTo(Version.of("367.35.0"));
    assertThat(Version.of("367.35").hashCode()).isEqualTo(Version.of("367.35.0").hashCode());
    assertThat(Version.of("8.0.27").majorMinor()).isEqualTo("8.0");
    assertThat(Version.valid("367.35-beta")).isFalse();
    assertThatThrownBy(() -> Version.of("x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsers_fromCapturedOutput() {
    assertThat(NvidiaFacts.busId("00000000:01:00.0")).isEqualTo("0000:01:00.0");
    assertThat(NvidiaFacts.busId("00000000:42:00.0")).isEqualTo("0000:42:00.0");
    assertThat(NvidiaFacts.busId("0000:42:00.0")).isEqualTo("0000:42:00.0");
    assertThat(NvidiaFacts.busId("00000000:1A:00.0")).isEqualTo("0000:1a:00.0");
    assertThat(NvidiaFacts.smi("367.35, 00000000:42:00.0\n375.26, 00000000:43:00.0\n"))
        .containsExactly(new NvidiaFacts.SmiGpu(Version.of("367.35"), "0000:42:00.0"), new NvidiaFacts.SmiGpu(Version.of("375.26"), "0000:43:00.0"));
    assertThat(NvidiaFacts.loadedVersion(
        "NVRM version: NVIDIA UNIX x86_64 Kernel Module  367.35  Mon Jul 11 23:14:21 PDT 2016\nGCC version:  gcc version 5.4.0\n"))
        .contains(Version.of("367.35"));
    assertThat(NvidiaFacts.loadedVersion(null)).isEmpty();
    assertThat(NvidiaFacts.dkmsInstalled("nvidia/367.35, 4.4.0-31-generic, x86_64: installed\nnvidia/361.45, 4.4.0-21-generic, x86_64: built\n",
        "nvidia", "4.4.0-31-generic")).containsExactly(Version.of("367.35"));
    assertThat(NvidiaFacts.dkmsInstalled("nvidia, 367.35, 3.10.0-327.el7.x86_64, x86_64: installed\n", "nvidia", null))
        .containsExactly(Version.of("367.35"));
  }

  @Test
  void fresh_runsInstallerThenInitramfsThenUvm() {
    Change c = fresh(params()).diff();
    assertThat(c.action()).isEqualTo(Action.RUN);
    assertThat(c.label()).isEqualTo(Label.OBSERVED);
    assertThat(c.takesEffect()).as("the installer loads the module it built for the running kernel").isEqualTo(TakesEffect.NOW);
    assertThat(c.rebootPending()).isFalse();
    assertThat(c.blockers()).isEmpty();
    List<String> shown = Fixtures.shown(c);
    assertThat(shown.get(0)).isEqualTo("sh " + RUN + " -a --dkms -Z -s");
    assertThat(shown.get(1)).isEqualTo("update-initramfs -u -k 4.4.0-31-generic");
    assertThat(shown.get(2)).startsWith("plumb-write " + NvidiaDriver.UVM_FILE);
    assertThat(shown.get(3)).isEqualTo("modprobe nvidia-uvm");
  }

  @Test
  void noDkms_dracut() {
    Change c = fresh(params("dkms", false, "uvm", false)).tools("gcc", "dracut").diff();
    assertThat(Fixtures.shown(c)).containsExactly("sh " + RUN + " -a -Z -s", "dracut -f --kver 4.4.0-31-generic");
  }

  @Test
  void converged_noChange_neverReinstalls() {
    Change c = converged(params()).diff();
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.commands()).isEmpty();
    assertThat(c.notes()).isEmpty();
    assertThat(c.rebootPending()).isFalse();
  }

  @Test
  void converged_evenWithBrokenInstallerOrNouveau_noChange() {
    Change c = converged(params()).cmd(NvidiaDriver.shaFact(RUN), 1, "").loaded("nvidia", "nvidia_uvm", "nouveau").diff();
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.blockers()).isEmpty();
  }

  @Test
  void installedButOldLoaded_noneWithRebootPending() {
    Change c = converged(params()).cmd(NvidiaDriver.SMI, "361.45, 00000000:42:00.0\n").diff();
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.rebootPending()).isTrue();
    assertThat(c.notes()).containsExactly("loaded 361.45 until reboot (installed 367.35)");
  }

  @Test
  void procVersionWins_overSmi() {
    Change c = converged(params()).file(NvidiaDriver.PROC_VERSION, "NVRM version: NVIDIA UNIX x86_64 Kernel Module  361.45  Tue\n").diff();
    assertThat(c.notes()).containsExactly("loaded 361.45 until reboot (installed 367.35)");
  }

  @Test
  void newerInstalled_blocksUnlessAllowed() {
    Fixtures f = converged(params()).cmd(NvidiaDriver.MODINFO, "4.4.0-31-generic 375.26\n").cmd(NvidiaDriver.SMI, "375.26, 00000000:42:00.0\n");
    assertThat(f.diff().blockers()).containsExactly("would downgrade 375.26 → 367.35; set allow_downgrade: true");
    Change allowed = converged(params("allow_downgrade", true)).cmd(NvidiaDriver.MODINFO, "4.4.0-31-generic 375.26\n").diff();
    assertThat(allowed.blockers()).isEmpty();
    assertThat(Fixtures.shown(allowed).get(0)).startsWith("sh " + RUN);
    assertThat(allowed.rebootPending()).as("the installer unloads 375.26 and loads 367.35").isFalse();
  }

  @Test
  void olderInstalledAndLoaded_nobodyUsesIt_theInstallerSwapsTheModule_thenUvmLoadsAgainstTheNewOne() {
    // The installer unloads nvidia-uvm and nvidia (nothing uses them) and ends loading the new nvidia.
    Change c = converged(params()).cmd(NvidiaDriver.MODINFO, "4.4.0-31-generic 361.45\n").cmd(NvidiaDriver.SMI, "361.45, 00000000:42:00.0\n")
        .loaded("nvidia", "nvidia_uvm").cmd(NvidiaDriver.USERS, "refcnt 1\nholder nvidia_uvm\nlsof\n").diff();
    assertThat(Fixtures.shown(c)).containsExactly("sh " + RUN + " -a --dkms -Z -s", "update-initramfs -u -k 4.4.0-31-generic",
        "modprobe nvidia-uvm");
    assertThat(c.takesEffect()).isEqualTo(TakesEffect.NOW);
    assertThat(c.rebootPending()).isFalse();
    assertThat(c.notes()).noneMatch(n -> n.contains("until reboot"));
  }

  @Test
  void preconditions_blockers() {
    Change c = fresh(params()).kernels("running 4.4.0-31-generic\nkernel 4.4.0-31-generic\n").tools("update-initramfs")
        .loaded("nouveau").cmd(NvidiaDriver.shaFact(RUN), "b".repeat(64) + "  " + RUN + "\n").diff();
    assertThat(c.blockers()).containsExactly(
        "kernel headers missing: /lib/modules/4.4.0-31-generic/build; install linux-headers-4.4.0-31-generic"
            + " (kernel-devel-4.4.0-31-generic on EL)",
        "no C compiler (cc or gcc) on PATH: the installer builds the kernel module; install gcc and make",
        "nouveau is loaded: blacklist it (module_blacklist) and reboot first; the installer would stop",
        "installer " + RUN + " has sha256 " + "b".repeat(64) + ", the playbook says " + SHA);
    assertThat(fresh(params()).cmd(NvidiaDriver.shaFact(RUN), 1, "").diff().blockers())
        .containsExactly("installer " + RUN + " not found on the host");
    assertThat(fresh(Map.of("version", "367.35")).diff().blockers())
        .containsExactly("driver 367.35 is not installed and no installer is given; set installer and sha256");
  }

  @Test
  void noModinfo_blocks_neverGuessesNotInstalled() {
    Change c = converged(params()).cmd(NvidiaDriver.MODINFO, 127, "").diff();
    assertThat(c.commands()).isEmpty();
    assertThat(c.blockers()).containsExactly("modinfo is not on this host's PATH: cannot read the installed driver version (install kmod)");
  }

  @Test
  void uvmOnly_whenDriverConverged() {
    Change c = converged(params()).file(NvidiaDriver.UVM_FILE, "x\n").loaded("nvidia").diff();
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(Fixtures.shown(c)).hasSize(2);
    assertThat(Fixtures.shown(c).get(1)).isEqualTo("modprobe nvidia-uvm");
  }

  @Test
  void validate() {
    assertThat(Fixtures.validate(M, Map.of("version", "latest")).all()).extracting(Problem::message)
        .containsExactly("version 'latest' is not a dotted numeric version");
    assertThat(Fixtures.validate(M, Map.of("version", "367.35", "installer", RUN)).all()).extracting(Problem::message)
        .containsExactly("installer needs sha256: plumb runs no installer it cannot verify");
    assertThat(Fixtures.validate(M, params()).all()).isEmpty();
  }

  @Test
  void secureBootOn_noSigningKey_blocksBeforeTheInstallerRuns() {
    Change c = fresh(params()).cmd(NvidiaDriver.SECURE_BOOT, "SecureBoot enabled\n").diff();
    assertThat(c.blockers()).singleElement().asString()
        .startsWith("Secure Boot is on: the kernel refuses an unsigned nvidia module").contains("signing_key and signing_public_key");
  }

  @Test
  void secureBootOnFromTheEfiVariable_noSigningKey_blocks() {
    Change c = fresh(params()).cmd(NvidiaDriver.SECURE_BOOT, "efivar 1\n").diff();
    assertThat(c.blockers()).singleElement().asString().startsWith("Secure Boot is on");
    assertThat(fresh(params()).cmd(NvidiaDriver.SECURE_BOOT, "efivar 0\n").diff().blockers()).isEmpty();
    assertThat(fresh(params()).cmd(NvidiaDriver.SECURE_BOOT, "SecureBoot disabled\n").diff().blockers()).isEmpty();
  }

  @Test
  void secureBootOn_signingKeyDeclared_thePathsReachTheInstaller() {
    Change c = fresh(params("signing_key", "/root/mok/MOK.priv", "signing_public_key", "/root/mok/MOK.der"))
        .cmd(NvidiaDriver.SECURE_BOOT, "SecureBoot enabled\n").diff();
    assertThat(c.blockers()).isEmpty();
    assertThat(Fixtures.shown(c).get(0)).isEqualTo("sh " + RUN + " -a --dkms -Z -s --module-signing-secret-key=/root/mok/MOK.priv"
        + " --module-signing-public-key=/root/mok/MOK.der");
  }

  @Test
  void validate_signingKeyWithoutItsPublicKey_error() {
    assertThat(Fixtures.validate(M, params("signing_key", "/root/mok/MOK.priv")).all()).extracting(Problem::message)
        .containsExactly("signing_key needs signing_public_key: the installer signs the module with the pair");
    assertThat(Fixtures.validate(M, params("signing_key", "MOK.priv", "signing_public_key", "/root/mok/MOK.der")).all())
        .extracting(Problem::message).containsExactly("signing_key must be an absolute path on the host, not 'MOK.priv'");
  }

  @Test
  void upgradeOverADriverInUse_blocksNamingTheProcesses() {
    Change c = converged(params()).cmd(NvidiaDriver.MODINFO, "4.4.0-31-generic 361.45\n").cmd(NvidiaDriver.SMI, "361.45, 00000000:42:00.0\n")
        .cmd(NvidiaDriver.USERS, "refcnt 3\nholder nvidia_uvm\nlsof\np4242\ncpython3\nf5\nf6\np977\ncnvidia-persistenced\nf3\n")
        .diff();
    assertThat(c.blockers()).singleElement().asString().isEqualTo("the loaded nvidia module is in use by python3 (pid 4242), "
        + "nvidia-persistenced (pid 977): the installer cannot unload it; stop them (or reboot without the driver) and apply again");
  }

  @Test
  void upgradeOverADriverInUse_withoutLsof_blocksOnTheRefcount() {
    Change c = converged(params()).cmd(NvidiaDriver.MODINFO, "4.4.0-31-generic 361.45\n").loaded("nvidia", "nvidia_uvm")
        .cmd(NvidiaDriver.USERS, "refcnt 2\nholder nvidia_uvm\n").diff();
    assertThat(c.blockers()).singleElement().asString().contains("refcount 2, holders 1; install lsof");
  }

  @Test
  void upgradeOverALoadedDriverNobodyUses_runsTheInstaller() {
    Change c = converged(params()).cmd(NvidiaDriver.MODINFO, "4.4.0-31-generic 361.45\n").loaded("nvidia", "nvidia_uvm")
        .cmd(NvidiaDriver.USERS, "refcnt 1\nholder nvidia_uvm\nlsof\n").diff();
    assertThat(c.blockers()).isEmpty();
    assertThat(Fixtures.shown(c).get(0)).isEqualTo("sh " + RUN + " -a --dkms -Z -s");
  }

  @Test
  void installedButNotLoaded_reported() {
    Change c = converged(params("uvm", false)).cmd(NvidiaDriver.SMI, 9, "").loaded("vfio").diff();
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.notes()).anySatisfy(n -> assertThat(n).startsWith("installed 367.35 but not loaded"));
  }

  static final String EL9_RUNNING = "5.14.0-362.8.1.el9_3.x86_64";
  static final String EL9_NEXT = "5.14.0-427.13.1.el9_4.x86_64";

  static Fixtures pendingKernel(Map<String, Object> p) {
    return fresh(p).tools("gcc", "dracut", "grubby", "dkms").kernels(Fixtures.kernels(EL9_RUNNING, EL9_NEXT));
  }

  @Test
  void pendingKernel_fresh_buildsForTheRunningKernelThenWithDkmsForTheOneThatBootsNext() {
    Change c = pendingKernel(params()).diff();
    assertThat(c.blockers()).isEmpty();
    assertThat(Fixtures.shown(c)).startsWith("sh " + RUN + " -a --dkms -Z -s", "dkms install -m nvidia -v 367.35 -k " + EL9_NEXT,
        "dracut -f --kver " + EL9_NEXT);
    assertThat(c.takesEffect()).as("the next boot's module is used after the reboot").isEqualTo(TakesEffect.AFTER_REBOOT);
    assertThat(c.notes()).contains("the next boot starts kernel " + EL9_NEXT + " (running " + EL9_RUNNING + "): the module is built for it too");
  }

  @Test
  void pendingKernel_withoutDkms_theInstallersKernelModuleOnlyForTheNextKernel() {
    Change c = pendingKernel(params("dkms", false, "uvm", false)).diff();
    assertThat(Fixtures.shown(c)).containsExactly("sh " + RUN + " -a -Z -s",
        "sh " + RUN + " -a -s --kernel-module-only --kernel-name=" + EL9_NEXT, "dracut -f --kver " + EL9_NEXT);
  }

  @Test
  void pendingKernel_installedForTheRunningKernelOnly_isNotConverged_buildsForTheNextOne() {
    // The bug: modinfo of the running kernel said 367.35, and the next boot had no nvidia module.
    Change c = pendingKernel(params()).cmd(NvidiaDriver.MODINFO, EL9_RUNNING + " 367.35\n")
        .file(NvidiaDriver.PROC_VERSION, "NVRM version: NVIDIA UNIX x86_64 Kernel Module  367.35  Tue\n").loaded("nvidia").diff();
    assertThat(c.action()).isEqualTo(Action.RUN);
    assertThat(c.before()).startsWith("not installed");
    assertThat(Fixtures.shown(c)).startsWith("dkms install -m nvidia -v 367.35 -k " + EL9_NEXT, "dracut -f --kver " + EL9_NEXT);
    assertThat(Fixtures.shown(c)).noneMatch(x -> x.startsWith("sh "));
  }

  @Test
  void pendingKernel_installedForTheNextKernel_converged() {
    Change c = pendingKernel(params()).cmd(NvidiaDriver.MODINFO, EL9_RUNNING + " 367.35\n" + EL9_NEXT + " 367.35\n")
        .cmd(NvidiaDriver.DKMS, "nvidia/367.35, " + EL9_NEXT + ", x86_64: installed\n")
        .file(NvidiaDriver.PROC_VERSION, "NVRM version: NVIDIA UNIX x86_64 Kernel Module  367.35  Tue\n")
        .file(NvidiaDriver.UVM_FILE, NvidiaDriver.UVM_CONTENT).loaded("nvidia", "nvidia_uvm").diff();
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.commands()).isEmpty();
    assertThat(c.notes()).isEmpty();
  }

  @Test
  void pendingKernel_noHeadersForTheNextKernel_blocks() {
    Change c = pendingKernel(params()).kernels("running " + EL9_RUNNING + "\ntool grubby\ngrubby /boot/vmlinuz-" + EL9_NEXT
        + "\nkernel " + EL9_RUNNING + "\nheaders " + EL9_RUNNING + "\nkernel " + EL9_NEXT + "\n").diff();
    assertThat(c.blockers()).containsExactly("kernel headers missing: /lib/modules/" + EL9_NEXT + "/build; install linux-headers-"
        + EL9_NEXT + " (kernel-devel-" + EL9_NEXT + " on EL)");
  }
}
