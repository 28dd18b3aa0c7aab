package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.plumb.Gens;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Problem;
import dev.plumb.source.Problems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class KernelCmdlineTest {
  static final KernelCmdline M = new KernelCmdline();
  static final String GRUB = """
      # If you change this file, run 'update-grub' afterwards
      GRUB_DEFAULT=0
      GRUB_TIMEOUT=5
      GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
      GRUB_CMDLINE_LINUX_DEFAULT="quiet"
      GRUB_CMDLINE_LINUX="%s"
      """;

  static String cfg(String args) {
    return "menuentry 'Debian' {\n\tlinux\t/vmlinuz-4.4.0-31-generic root=UUID=abcd ro " + args
        + "\n}\nmenuentry 'Debian (recovery mode)' {\n\tlinux\t/vmlinuz-4.4.0-31-generic root=UUID=abcd ro single\n}\n";
  }

  static Fixtures lab(Map<String, ?> params, String cmdlineLinux, String cfgArgs, String running) {
    return Fixtures.of(M, params)
        .file(KernelCmdline.DEFAULT_GRUB, GRUB.formatted(cmdlineLinux))
        .file(KernelCmdline.GRUB_CFG, cfg(cfgArgs))
        .file(KernelCmdline.PROC_CMDLINE, "BOOT_IMAGE=/vmlinuz-4.4.0-31-generic root=UUID=abcd ro " + running + "\n")
        .tools("update-grub", "update-initramfs", "modprobe");
  }

  static final Map<String, Object> IOMMU = Map.of("present", List.of("intel_iommu=on", "iommu=pt"));

  @Test
  void fresh_host_editsGrubDefaultsAndRegenerates() {
    Fixtures f = lab(IOMMU, "", "quiet", "quiet");
    Change c = f.diff();
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(c.takesEffect()).isEqualTo(TakesEffect.AFTER_REBOOT);
    assertThat(c.rebootPending()).isTrue();
    assertThat(c.diff()).contains("-GRUB_CMDLINE_LINUX=\"\"").contains("+GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"");
    assertThat(((FactResult.Content) c.writes().get(KernelCmdline.DEFAULT_GRUB)).text())
        .isEqualTo(GRUB.formatted("intel_iommu=on iommu=pt"));
    assertThat(Fixtures.shown(c)).hasSize(2);
    assertThat(Fixtures.shown(c).get(0)).startsWith("plumb-write /etc/default/grub");
    assertThat(Fixtures.shown(c).get(1)).isEqualTo("update-grub");
    assertThat(c.notes()).anyMatch(n -> n.contains("reboot pending") && n.contains("lacks intel_iommu=on iommu=pt"));
  }

  @Test
  void configured_butGrubCfgStale_onlyRegenerates() {
    Change c = lab(IOMMU, "iommu=pt intel_iommu=on", "quiet", "quiet").diff();
    assertThat(c.action()).isEqualTo(Action.RUN);
    assertThat(Fixtures.shown(c)).containsExactly("update-grub");
    assertThat(c.writes()).isEmpty();
    assertThat(c.takesEffect()).isEqualTo(TakesEffect.AFTER_REBOOT);
  }

  @Test
  void converged_notRebooted_noChangeButRebootPending() {
    Change c = lab(IOMMU, "intel_iommu=on iommu=pt", "intel_iommu=on iommu=pt quiet", "quiet").diff();
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.commands()).isEmpty();
    assertThat(c.rebootPending()).isTrue();
    assertThat(c.notes()).containsExactly(
        "reboot pending: the running kernel's command line lacks intel_iommu=on iommu=pt");
  }

  @Test
  void converged_everywhere_orderInsensitive_noChange() {
    Change c = lab(IOMMU, "iommu=pt intel_iommu=on", "quiet iommu=pt intel_iommu=on", "quiet iommu=pt intel_iommu=on").diff();
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.rebootPending()).isFalse();
    assertThat(c.notes()).isEmpty();
  }

  @Test
  void tokenInDefaultVariable_countsAsConfigured() {
    Fixtures f = Fixtures.of(M, Map.of("present", List.of("quiet")))
        .file(KernelCmdline.DEFAULT_GRUB, GRUB.formatted(""))
        .file(KernelCmdline.GRUB_CFG, cfg("quiet"))
        .file(KernelCmdline.PROC_CMDLINE, "ro quiet\n")
        .tools("update-grub");
    assertThat(f.diff().action()).isEqualTo(Action.NONE);
  }

  @Test
  void sameKeyOtherValue_replacedInPlace_othersKeptInOrder() {
    Change c = lab(Map.of("present", List.of("intel_iommu=on")), "console=ttyS0 intel_iommu=off nosmt", "quiet", "quiet").diff();
    assertThat(c.diff()).contains("+GRUB_CMDLINE_LINUX=\"console=ttyS0 intel_iommu=on nosmt\"");
  }

  @Test
  void absent_bareKeyRemovesEveryValue_andTheSeedsTypo() {
    Change c = lab(Map.of("present", List.of("intel_iommu=on"), "absent", List.of("modprobe.blacklist", "iommu_intel=on")),
        "iommu_intel=on modprobe.blacklist=snd_hda_intel,nouveau nosmt", "quiet", "quiet").diff();
    assertThat(c.diff()).contains("+GRUB_CMDLINE_LINUX=\"nosmt intel_iommu=on\"");
  }

  @Test
  void absent_removedFromDefaultVariableToo() {
    Fixtures f = Fixtures.of(M, Map.of("absent", List.of("quiet")))
        .file(KernelCmdline.DEFAULT_GRUB, GRUB.formatted("nosmt"))
        .file(KernelCmdline.GRUB_CFG, cfg("nosmt quiet"))
        .file(KernelCmdline.PROC_CMDLINE, "ro nosmt quiet\n")
        .tools("update-grub");
    Change c = f.diff();
    assertThat(c.diff()).contains("+GRUB_CMDLINE_LINUX_DEFAULT=\"\"");
    assertThat(c.diff()).doesNotContain("+GRUB_CMDLINE_LINUX=");
  }

  @Test
  void singleQuotes_kept() {
    Fixtures f = Fixtures.of(M, IOMMU)
        .file(KernelCmdline.DEFAULT_GRUB, "GRUB_CMDLINE_LINUX='nosmt' # keep\n")
        .file(KernelCmdline.GRUB_CFG, cfg(""))
        .tools("update-grub");
    assertThat(f.diff().diff()).contains("+GRUB_CMDLINE_LINUX='nosmt intel_iommu=on iommu=pt' # keep");
  }

  @Test
  void missingAssignment_appended() {
    Fixtures f = Fixtures.of(M, IOMMU)
        .file(KernelCmdline.DEFAULT_GRUB, "GRUB_TIMEOUT=5")
        .tools("update-grub");
    Change c = f.diff();
    assertThat(((FactResult.Content) c.writes().get(KernelCmdline.DEFAULT_GRUB)).text())
        .isEqualTo("GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"\n");
  }

  @Test
  void grubDOverride_isEditedInstead() {
    String cloud = "GRUB_CMDLINE_LINUX=\"console=ttyS0\"\n";
    Fixtures f = lab(IOMMU, "", "quiet", "quiet")
        .files(KernelCmdline.GRUB_D, Map.of("/etc/default/grub.d/50-cloudimg.cfg", cloud));
    Change c = f.diff();
    assertThat(c.writes()).containsOnlyKeys("/etc/default/grub.d/50-cloudimg.cfg");
    assertThat(c.diff()).contains("+GRUB_CMDLINE_LINUX=\"console=ttyS0 intel_iommu=on iommu=pt\"");
  }

  @Test
  void grubDAppend_countsAsConfigured() {
    Fixtures f = lab(IOMMU, "", "quiet intel_iommu=on iommu=pt", "quiet intel_iommu=on iommu=pt")
        .files(KernelCmdline.GRUB_D, Map.of("/etc/default/grub.d/iommu.cfg", "GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX intel_iommu=on iommu=pt\"\n"));
    assertThat(f.diff().action()).isEqualTo(Action.NONE);
  }

  @Test
  void nothingConfigured_beforeSaysSo_neverAnEmptyWordBeforeTheArrow() {
    // No /etc/default/grub (a container, a fresh image): the change is blocked, and its summary
    // read "configured:  -> has intel_iommu=on iommu=pt".
    Change c = Fixtures.of(M, IOMMU).file(KernelCmdline.PROC_CMDLINE, "ro quiet\n").tools("update-grub").diff();
    assertThat(c.blockers()).isNotEmpty();
    assertThat(c.before()).isEqualTo("configured: no parameters");
  }

  @Test
  void el9_grubby_updatesBlsEntries() {
    Fixtures f = Fixtures.of(M, Map.of("present", List.of("intel_iommu=on"), "absent", List.of("rhgb")))
        .file(KernelCmdline.DEFAULT_GRUB, "GRUB_CMDLINE_LINUX=\"crashkernel=auto intel_iommu=on\"\n")
        .cmd(KernelCmdline.GRUBBY, "index=0\nkernel=\"/boot/vmlinuz-5.14.0\"\nargs=\"ro crashkernel=auto rhgb quiet\"\nroot=\"/dev/mapper/rl-root\"\n")
        .file(KernelCmdline.PROC_CMDLINE, "ro crashkernel=auto rhgb quiet\n")
        .file(KernelCmdline.KERNEL_CMDLINE, "root=/dev/mapper/rl-root ro crashkernel=auto intel_iommu=on\n")
        .tools("grubby", "grub2-mkconfig", "dracut");
    Change c = f.diff();
    assertThat(c.action()).isEqualTo(Action.RUN);
    assertThat(Fixtures.shown(c)).containsExactly(
        "grubby --update-kernel=ALL --remove-args=rhgb",
        "grubby --update-kernel=ALL --args=intel_iommu=on");
  }

  static final String BLS_GRUB_CFG = """
      set default="${saved_entry}"
      insmod blscfg
      blscfg
      """;
  static final String GRUBBY_INFO = "index=0\nkernel=\"/boot/vmlinuz-5.14.0-427.13.1.el9_4.x86_64\"\n"
      + "args=\"ro crashkernel=1G-4G:192M rhgb quiet%s\"\nroot=\"/dev/mapper/rl-root\"\n"
      + "initrd=\"/boot/initramfs-5.14.0-427.13.1.el9_4.x86_64.img\"\n";

  static Fixtures rocky9(String grubbyExtra, String kernelCmdline) {
    Fixtures f = Fixtures.of(M, IOMMU)
        .file(KernelCmdline.DEFAULT_GRUB, "GRUB_CMDLINE_LINUX=\"crashkernel=1G-4G:192M rhgb quiet intel_iommu=on iommu=pt\"\n"
            + "GRUB_ENABLE_BLSCFG=true\n")
        .file(KernelCmdline.GRUB2_CFG, BLS_GRUB_CFG)
        .cmd(KernelCmdline.GRUBBY, GRUBBY_INFO.formatted(grubbyExtra))
        .file(KernelCmdline.PROC_CMDLINE, "BOOT_IMAGE=(hd0,gpt2)/vmlinuz-5.14.0-362.8.1.el9_3.x86_64 root=/dev/mapper/rl-root ro quiet\n")
        .tools("grubby", "grub2-mkconfig", "dracut");
    return kernelCmdline == null ? f : f.file(KernelCmdline.KERNEL_CMDLINE, kernelCmdline);
  }

  @Test
  void el9_kernelCmdlineFileLacksTokens_editedSoNewKernelsGetThem() {
    Change c = rocky9(" intel_iommu=on iommu=pt", "root=/dev/mapper/rl-root ro crashkernel=1G-4G:192M rhgb quiet\n").diff();
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(((FactResult.Content) c.writes().get(KernelCmdline.KERNEL_CMDLINE)).text())
        .isEqualTo("root=/dev/mapper/rl-root ro crashkernel=1G-4G:192M rhgb quiet intel_iommu=on iommu=pt\n");
    assertThat(Fixtures.shown(c)).singleElement().asString().startsWith("plumb-write /etc/kernel/cmdline");
  }

  @Test
  void el9_kernelCmdlineFileMissing_writtenFromTheDefaultEntryWithItsRoot() {
    Change c = rocky9("", null).diff();
    assertThat(((FactResult.Content) c.writes().get(KernelCmdline.KERNEL_CMDLINE)).text())
        .isEqualTo("root=/dev/mapper/rl-root ro crashkernel=1G-4G:192M rhgb quiet intel_iommu=on iommu=pt\n");
    assertThat(Fixtures.shown(c)).last().isEqualTo("grubby --update-kernel=ALL '--args=intel_iommu=on iommu=pt'");
  }

  @Test
  void el9_allThreeConverged_noChange() {
    Change c = rocky9(" intel_iommu=on iommu=pt", "root=/dev/mapper/rl-root ro rhgb quiet intel_iommu=on iommu=pt\n").diff();
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.rebootPending()).isTrue();
  }

  @Test
  void el9_grubbyFails_blocksInsteadOfRegeneratingEveryRun() {
    Change c = rocky9("", "x\n").cmd(KernelCmdline.GRUBBY, 1, "").diff();
    assertThat(c.commands()).isEmpty();
    assertThat(c.blockers()).singleElement().asString()
        .startsWith("cannot read the next boot's command line: grubby --info=DEFAULT failed (exit 1)")
        .contains("run with become");
  }

  @Test
  void blsGrubCfgWithoutGrubby_blocksSayingWhy() {
    Change c = rocky9("", null).cmd(KernelCmdline.GRUBBY, 1, "").tools("grub2-mkconfig", "dracut").diff();
    assertThat(c.commands()).isEmpty();
    assertThat(c.blockers()).singleElement().asString()
        .startsWith("/boot/grub2/grub.cfg has no linux line: it loads BLS entries (blscfg)").contains("install grubby");
  }

  @Test
  void grubCfgUnreadableWithoutBecome_blocksInsteadOfRegenerating() {
    Fixtures f = Fixtures.of(M, IOMMU)
        .file(KernelCmdline.DEFAULT_GRUB, "GRUB_CMDLINE_LINUX=\"rhgb intel_iommu=on iommu=pt\"\n")
        .unreadable(KernelCmdline.GRUB2_CFG)
        .file(KernelCmdline.PROC_CMDLINE, "ro rhgb\n")
        .tools("grub2-mkconfig", "dracut");
    Change c = f.diff();
    assertThat(c.commands()).isEmpty();
    assertThat(c.blockers()).singleElement().asString()
        .startsWith("cannot read /boot/grub2/grub.cfg (the next boot's command line)").contains("become");
  }

  @Test
  void grubCfgWithoutLinuxLine_blocksInsteadOfRegenerating() {
    Change c = lab(IOMMU, "intel_iommu=on iommu=pt", "", "quiet").file(KernelCmdline.GRUB_CFG, "set default=0\n").diff();
    assertThat(c.commands()).isEmpty();
    assertThat(c.blockers()).singleElement().asString().startsWith("/boot/grub/grub.cfg has no linux line");
  }

  @Test
  void el7_efi_mkconfigToTheEfiPath() {
    Fixtures f = Fixtures.of(M, IOMMU)
        .file(KernelCmdline.DEFAULT_GRUB, "GRUB_CMDLINE_LINUX=\"rhgb\"\n")
        .file(KernelCmdline.GRUB2_CFG, cfg("rhgb"))
        .files(KernelCmdline.EFI_CFGS, Map.of("/boot/efi/EFI/centos/grub.cfg", cfg("rhgb")))
        .tools("grub2-mkconfig", "dracut", "efi");
    assertThat(Fixtures.shown(f.diff())).last().isEqualTo("grub2-mkconfig -o /boot/efi/EFI/centos/grub.cfg");
  }

  @Test
  void el7_bios_mkconfigToGrub2() {
    Fixtures f = Fixtures.of(M, IOMMU)
        .file(KernelCmdline.DEFAULT_GRUB, "GRUB_CMDLINE_LINUX=\"rhgb\"\n")
        .file(KernelCmdline.GRUB2_CFG, cfg("rhgb"))
        .tools("grub2-mkconfig", "dracut");
    assertThat(Fixtures.shown(f.diff())).last().isEqualTo("grub2-mkconfig -o /boot/grub2/grub.cfg");
  }

  @Test
  void noRegenerateTool_blocks() {
    Change c = lab(IOMMU, "", "quiet", "quiet").tools().diff();
    assertThat(c.blockers()).containsExactly(
        "no tool to regenerate /boot/grub/grub.cfg on this host (looked for update-grub, grub2-mkconfig, grub-mkconfig, grubby)");
  }

  @Test
  void validate_seedTypo_didYouMean() {
    Problems p = Fixtures.validate(M, Map.of("present", List.of("iommu_intel=on")));
    assertThat(p.all()).extracting(Problem::message)
        .containsExactly("unknown kernel parameter iommu_intel; did you mean intel_iommu=on?");
    assertThat(p.hasErrors()).isTrue();
  }

  @Test
  void validate_editDistance_didYouMean() {
    Problems p = Fixtures.validate(M, Map.of("present", List.of("intel_iomu=on", "nomodset")));
    assertThat(p.all()).extracting(Problem::message).containsExactly(
        "unknown kernel parameter intel_iomu; did you mean intel_iommu=on?",
        "unknown kernel parameter nomodset; did you mean nomodeset?");
  }

  @Test
  void validate_seedsBlacklistOfSoundDriver_warning() {
    Problems p = Fixtures.validate(M, Map.of("present", List.of("modprobe.blacklist=snd_hda_intel,nouveau")));
    assertThat(p.hasErrors()).isFalse();
    assertThat(p.all()).extracting(Problem::message).containsExactly(
        "blacklisting snd_hda_intel disables the host's onboard audio too; bind the GPU's audio function to vfio-pci instead (pci_passthrough)");
  }

  @Test
  void validate_amdIommuOn_warning() {
    Problems p = Fixtures.validate(M, Map.of("present", List.of("amd_iommu=on")));
    assertThat(p.hasErrors()).isFalse();
    assertThat(p.all()).singleElement().satisfies(x -> {
      assertThat(x.severity()).isEqualTo(Problem.Severity.WARNING);
      assertThat(x.message()).contains("AMD IOMMU is on by default");
    });
  }

  @Test
  void validate_moduleParamsAndKnownOnes_accepted() {
    Problems p = Fixtures.validate(M, Map.of("present", List.of("intel_iommu=on", "iommu=pt", "vfio-pci.ids=10de:1b80,10de:10f0",
        "modprobe.blacklist=nouveau", "rd.driver.blacklist=nouveau", "nouveau.modeset=0", "kvm.ignore_msrs=1", "splash", "quiet",
        "pcie_aspm=off", "video=efifb:off")));
    assertThat(p.all()).isEmpty();
  }

  @Test
  void validate_absentIsNotLinted_butNeedsSomething() {
    assertThat(Fixtures.validate(M, Map.of("absent", List.of("iommu_intel=on"))).all()).isEmpty();
    assertThat(Fixtures.validate(M, Map.of()).hasErrors()).isTrue();
    assertThat(Fixtures.validate(M, Map.of("present", List.of("a=\"b c\""))).hasErrors()).isTrue();
  }

  // Property: applying the change (and regenerating grub.cfg as update-grub would) converges.
  @Test
  void diffAgainstPredictedAfterState_isNone() {
    // A generated /etc/default/grub around the assignment: other settings, comments, and a
    // GRUB_CMDLINE_LINUX_DEFAULT of its own tokens (which count as configured too).
    Gen<Pair<List<String>, String>> grub = tokens().flatMap(existing -> Gens.grubDefaults(
        tokens().map(t -> String.join(" ", t)), String.join(" ", existing)).map(file -> Pair.of(existing, file)));
    qt().withExamples(300).forAll(grub.describedAs(g -> Gens.show(g._2)), tokens(), tokens())
        .checkAssert((g, presentTokens, absentTokens) -> convergesAfterPredictedState(g._1, g._2, presentTokens, absentTokens));
  }

  private static void convergesAfterPredictedState(List<String> existing, String grubFile, List<String> presentTokens,
      List<String> absentTokens) {
    List<String> present = new ArrayList<>();
    for (String t : presentTokens) {
      if (present.stream().noneMatch(p -> CmdlineTokens.key(p).equals(CmdlineTokens.key(t)))) {
        present.add(t);
      }
    }
    List<String> absent = absentTokens.stream().filter(t -> !present.contains(t))
        .filter(t -> present.stream().noneMatch(p -> CmdlineTokens.key(p).equals(t))).toList();
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("present", present);
    params.put("absent", absent);
    Fixtures f = lab(params, String.join(" ", existing), "quiet", "quiet").file(KernelCmdline.DEFAULT_GRUB, grubFile);
    Change c = f.diff();
    FactSet after = f.after(c);
    String grub = after.text(KernelCmdline.DEFAULT_GRUB).orElseThrow();
    Map<String, String> files = new LinkedHashMap<>();
    files.put(KernelCmdline.DEFAULT_GRUB, grub);
    List<String> configured = KernelCmdline.configuredTokens(files);
    after = after.withFile(KernelCmdline.GRUB_CFG, FactResult.content(cfg(String.join(" ", configured))))
        .withFile(KernelCmdline.PROC_CMDLINE, FactResult.content(String.join(" ", configured)));
    Change again = M.diff(Fixtures.params(M, params), after);
    assertThat(again.action()).isEqualTo(Action.NONE);
    assertThat(again.rebootPending()).isFalse();
    // Unrelated tokens are kept in order.
    List<String> kept = new ArrayList<>(existing);
    kept.removeIf(t -> absent.stream().anyMatch(a -> CmdlineTokens.matchesAbsent(a, t))
        || present.stream().anyMatch(p -> CmdlineTokens.key(p).equals(CmdlineTokens.key(t))));
    List<String> all = CmdlineTokens.split(GrubDefaults.values(grub, GrubDefaults.LINUX).get(0));
    if (!kept.isEmpty()) {
      assertThat(all).containsSubsequence(kept);
    }
  }

  /** Kernel parameters: the usual ones and generated names, bare or with generated values. */
  static Gen<List<String>> tokens() {
    Gen<String> name = Gens.joined(Generate.pick(List.of("a", "b", "_", "-", ".", "1", "x")), 1, 6, "");
    Gen<String> key = Generate.pick(List.of("quiet", "nosmt", "iommu", "intel_iommu", "console", "pci", "nomodeset"))
        .mix(name, 25);
    Gen<String> value = Generate.pick(List.of("", "=on", "=off", "=pt", "=ttyS0", "=ttyS0,115200n8", "=a=b"))
        .mix(name.map(n -> "=" + n), 25);
    return lists().of(key.zip(value, String::concat)).ofSizeBetween(0, 6);
  }

  @Test
  void hostValues_aTokenConfiguredWithAnotherValue_isTheHostsValue_aMissingKeyIsNot() {
    Map<String, Object> params = Map.of("present", List.of("intel_iommu=on", "iommu=pt", "vfio-pci.ids=10de:1b80"));
    Fixtures f = lab(params, "intel_iommu=on iommu=nopt", "quiet", "quiet");
    assertThat(M.hostValues(KernelCmdlineTest.params(params), f.facts()))
        .containsExactly(new dev.plumb.modules.HostValue("present", 1, "iommu=nopt"));
    Fixtures same = lab(params, "intel_iommu=on iommu=pt vfio-pci.ids=10de:1b80", "quiet", "quiet");
    assertThat(M.hostValues(KernelCmdlineTest.params(params), same.facts())).isEmpty();
  }

  private static dev.plumb.modules.Params params(Map<String, Object> plain) {
    return Fixtures.params(M, plain);
  }
}
