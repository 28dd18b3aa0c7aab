package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.plumb.Gens;
import dev.plumb.facts.FactResult;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/** module_blacklist, initramfs, kernel_module and the shared loaded-modules fact. */
class ModulesTest {
  static final ModuleBlacklist BL = new ModuleBlacklist();
  static final Initramfs INITRAMFS = new Initramfs();
  static final KernelModule KM = new KernelModule();
  static final String FILE = ModuleBlacklist.DEFAULT_FILE;

  @Test
  void loadedModules_fromProcModules() {
    String proc = "nvidia_uvm 634880 0 - Live 0xffffffffc0e2f000 (POE)\nsnd_hda_intel 40960 3 - Live 0x0\n";
    // The snippet cuts the first field; the parser reads names, one a line.
    assertThat(GpuFacts.parseLoadedModules("nvidia_uvm\nsnd_hda_intel\n")).containsExactly("nvidia_uvm", "snd_hda_intel");
    assertThat(proc).startsWith("nvidia_uvm");
  }

  @Test
  void loadedModules_fromSysModule_dashesAreUnderscores() {
    assertThat(GpuFacts.parseLoadedModules("vfio\nvfio-pci\n\nnouveau\n")).containsExactly("vfio", "vfio_pci", "nouveau");
    assertThat(GpuFacts.LOADED_MODULES.script()).contains("/proc/modules").contains("/sys/module/*/initstate");
  }

  @Test
  void listing_parsesFilesAndKeepsTheirBytes_evenAHeaderLikeLine() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("/a.cfg", "A=1\n### /b.cfg\n");
    files.put("/b.cfg", "B=2");
    var listing = GpuFacts.listing("/*.cfg");
    var read = new dev.plumb.facts.FactResult.Output(0, dev.plumb.facts.FileListing.render(files).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(listing.parse(read)).containsExactly(Map.entry("/a.cfg", "A=1\n### /b.cfg\n"), Map.entry("/b.cfg", "B=2"));
  }

  static Map<String, Object> nouveau() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("modules", List.of("nouveau", "lbm-nouveau"));
    p.put("install_false", true);
    p.put("options", Map.of("nouveau", "modeset=0"));
    return p;
  }

  static final String NOUVEAU_FILE = """
      # managed by plumb (module_blacklist); edits here are overwritten
      blacklist lbm-nouveau
      install lbm-nouveau /bin/false
      blacklist nouveau
      install nouveau /bin/false
      options nouveau modeset=0
      """;

  @Test
  void blacklist_create_withLoadedNote() {
    Change c = Fixtures.of(BL, nouveau()).loaded("nouveau", "vfio").diff();
    assertThat(c.action()).isEqualTo(Action.CREATE);
    assertThat(c.takesEffect()).isEqualTo(TakesEffect.AFTER_REBOOT);
    assertThat(((FactResult.Content) c.writes().get(FILE)).text()).isEqualTo(NOUVEAU_FILE);
    assertThat(c.diff()).startsWith("--- /dev/null\n+++ " + FILE);
    assertThat(Fixtures.shown(c)).singleElement().asString().startsWith("plumb-write " + FILE);
    assertThat(c.notes()).contains("reboot pending: nouveau still loaded until reboot");
    assertThat(c.rebootPending()).isTrue();
  }

  @Test
  void blacklist_converged_none_evenIfStillLoaded() {
    Change c = Fixtures.of(BL, nouveau()).file(FILE, NOUVEAU_FILE).loaded("nouveau").diff();
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.commands()).isEmpty();
    assertThat(c.rebootPending()).isTrue();
    Change clean = Fixtures.of(BL, nouveau()).file(FILE, NOUVEAU_FILE).loaded("vfio_pci").diff();
    assertThat(clean.notes()).isEmpty();
    assertThat(clean.rebootPending()).isFalse();
  }

  @Test
  void blacklist_handEdited_update() {
    Change c = Fixtures.of(BL, nouveau()).file(FILE, "blacklist nouveau\n").diff();
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(c.diff()).contains("+install nouveau /bin/false");
  }

  @Test
  void blacklist_sndHdaIntel_warns() {
    var p = Fixtures.validate(BL, Map.of("modules", List.of("nouveau", "snd_hda_intel")));
    assertThat(p.hasErrors()).isFalse();
    assertThat(p.all()).extracting(Problem::message).containsExactly(
        "blacklisting snd_hda_intel disables the host's onboard audio too; bind the GPU's audio function to vfio-pci instead (pci_passthrough)");
  }

  @Test
  void blacklist_badNamesAndFile_errors() {
    assertThat(Fixtures.validate(BL, Map.of("modules", List.of("nou veau"))).hasErrors()).isTrue();
    assertThat(Fixtures.validate(BL, Map.of("modules", List.of("nouveau"), "file", "/etc/blacklist")).hasErrors()).isTrue();
  }

  @Test
  void blacklist_afterState_isNone() {
    var names = lists().of(Generate.pick(List.of("nouveau", "nvidia", "nvidiafb", "rivafb", "lbm-nouveau"))
        .mix(Gens.joined(Generate.pick(List.of("a", "_", "-", "9")), 1, 6, ""), 20)).ofSizeBetween(1, 4);
    qt().withExamples(100).forAll(names, Generate.booleans(), Gens.fileOrMissing(Gens.modprobeFile()))
        .checkAssert((modules, installFalse, existing) -> {
          Map<String, Object> p = Map.of("modules", modules, "install_false", installFalse);
          Fixtures f = Fixtures.of(BL, p);
          if (existing != null) {
            f.file(FILE, existing);
          }
          Change c = f.diff();
          assertThat(f.diffAfter(c).action()).isEqualTo(Action.NONE);
        });
  }

  @Test
  void initramfs_debian_ubuntu() {
    Change c = Fixtures.of(INITRAMFS, Map.of()).tools("update-grub", "update-initramfs").diff();
    assertThat(c.action()).isEqualTo(Action.RESTART);
    assertThat(Fixtures.shown(c)).containsExactly("update-initramfs -u");
    assertThat(c.takesEffect()).isEqualTo(TakesEffect.AFTER_REBOOT);
  }

  @Test
  void initramfs_el9PendingKernel_rebuildsTheOneGrubbyBootsNext() {
    Change c = Fixtures.of(INITRAMFS, Map.of()).tools("grubby", "dracut")
        .kernels(Fixtures.kernels("5.14.0-362.8.1.el9_3.x86_64", "5.14.0-427.13.1.el9_4.x86_64")).diff();
    assertThat(Fixtures.shown(c)).containsExactly("dracut -f --kver 5.14.0-427.13.1.el9_4.x86_64");
    assertThat(c.notes()).containsExactly("the next boot starts kernel 5.14.0-427.13.1.el9_4.x86_64 (running "
        + "5.14.0-362.8.1.el9_3.x86_64): its initramfs is the one rebuilt");
  }

  @Test
  void initramfs_debianPendingKernel_rebuildsTheFirstGrubEntrysKernel() {
    Change c = Fixtures.of(INITRAMFS, Map.of()).tools("update-grub", "update-initramfs")
        .kernels("running 4.4.0-31-generic\ntool update-grub\ncfg /boot/grub/grub.cfg /boot/vmlinuz-4.4.0-210-generic\n").diff();
    assertThat(Fixtures.shown(c)).containsExactly("update-initramfs -u -k 4.4.0-210-generic");
  }

  @Test
  void initramfs_noBootLoaderEntry_rebuildsTheRunningKernels() {
    Change c = Fixtures.of(INITRAMFS, Map.of()).tools("dracut").kernels("running 3.10.0-1160.el7.x86_64\n").diff();
    assertThat(Fixtures.shown(c)).containsExactly("dracut -f --kver 3.10.0-1160.el7.x86_64");
    assertThat(c.notes()).isEmpty();
  }

  @Test
  void initramfs_el_dracut_or_blocked() {
    assertThat(Fixtures.shown(Fixtures.of(INITRAMFS, Map.of()).tools("dracut").diff())).containsExactly("dracut -f");
    assertThat(Fixtures.of(INITRAMFS, Map.of()).tools().diff().blockers())
        .containsExactly("neither update-initramfs nor dracut is on this host's PATH");
  }

  @Test
  void kernelModule_load_nowAndAtBoot() {
    Change c = Fixtures.of(KM, Map.of("name", "vfio-pci")).loaded("vfio").diff();
    assertThat(c.action()).isEqualTo(Action.CREATE);
    assertThat(Fixtures.shown(c)).hasSize(2);
    assertThat(Fixtures.shown(c).get(0)).startsWith("plumb-write /etc/modules-load.d/vfio-pci.conf");
    assertThat(Fixtures.shown(c).get(1)).isEqualTo("modprobe -- vfio-pci");
    assertThat(((FactResult.Content) c.writes().get("/etc/modules-load.d/vfio-pci.conf")).text())
        .isEqualTo("# managed by plumb (kernel_module)\nvfio-pci\n");
  }

  @Test
  void kernelModule_loadedUnderOtherSpelling_converged() {
    Fixtures f = Fixtures.of(KM, Map.of("name", "vfio-pci")).loaded("vfio_pci")
        .file("/etc/modules-load.d/vfio-pci.conf", "# managed by plumb (kernel_module)\nvfio-pci\n");
    assertThat(f.diff().action()).isEqualTo(Action.NONE);
  }

  @Test
  void kernelModule_options_writtenWithReloadNote() {
    Fixtures f = Fixtures.of(KM, Map.of("name", "kvm", "options", "ignore_msrs=1", "boot", false)).loaded("kvm");
    Change c = f.diff();
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(((FactResult.Content) c.writes().get("/etc/modprobe.d/kvm-options.conf")).text())
        .isEqualTo("# managed by plumb (kernel_module)\noptions kvm ignore_msrs=1\n");
    assertThat(c.notes()).containsExactly("the new options apply when kvm is next loaded (reload it or reboot)");
    assertThat(f.diffAfter(c).action()).isEqualTo(Action.NONE);
  }

  @Test
  void kernelModule_absent_unloadsAndRemovesBootFile() {
    Change c = Fixtures.of(KM, Map.of("name", "nouveau", "state", "absent")).loaded("nouveau")
        .file("/etc/modules-load.d/nouveau.conf", "nouveau\n").diff();
    assertThat(c.action()).isEqualTo(Action.DELETE);
    assertThat(Fixtures.shown(c)).hasSize(2);
    assertThat(Fixtures.shown(c).get(0)).startsWith("plumb-delete /etc/modules-load.d/nouveau.conf");
    assertThat(Fixtures.shown(c).get(1)).isEqualTo("modprobe -r -- nouveau");
    assertThat(c.writes().get("/etc/modules-load.d/nouveau.conf")).isInstanceOf(FactResult.Missing.class);
  }

  @Test
  void kernelModule_validate() {
    assertThat(Fixtures.validate(KM, Map.of("name", "vfio", "state", "present")).all()).as("the loader reports it").isEmpty();
    assertThat(KM.params()).filteredOn(p -> p.name().equals("state")).singleElement()
        .satisfies(p -> assertThat(p.values()).containsExactly("loaded", "absent"));
    assertThat(Set.copyOf(KM.writes(Fixtures.params(KM, Map.of("name", "vfio")))))
        .containsExactlyInAnyOrder("/etc/modules-load.d/vfio.conf", "/etc/modprobe.d/vfio-options.conf");
  }
}
