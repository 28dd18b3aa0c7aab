package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.FactResult;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: Ubuntu 20.04 and later build vfio-pci into the kernel. modprobe.d's `options vfio-pci
 * ids=` is never read there; the ids go on the kernel command line, and a built-in module is
 * loaded although /proc/modules never lists it.
 */
class BuiltinVfioTest {
  /** What {@link NextKernel#FACT} prints on Ubuntu 22.04: modules.builtin of the running kernel, also the next. */
  static final String UBUNTU2204 = """
      running 5.15.0-91-generic
      tool update-grub
      cfg /boot/grub/grub.cfg /boot/vmlinuz-5.15.0-91-generic
      kernel 5.15.0-91-generic
      headers 5.15.0-91-generic
      builtin 5.15.0-91-generic vfio
      builtin 5.15.0-91-generic vfio_iommu_type1
      builtin 5.15.0-91-generic vfio-pci
      builtin 5.15.0-91-generic vfio_virqfd
      """;

  static Fixtures hypervisor(String builtin, String cmdlineLinux, String cfgArgs) {
    return PciPassthroughTest.lab(PciPassthroughTest.GTX1080, PciPassthroughTest.LAB)
        .kernels(builtin)
        .file(KernelCmdline.DEFAULT_GRUB, KernelCmdlineTest.GRUB.formatted(cmdlineLinux))
        .file(KernelCmdline.GRUB_CFG, KernelCmdlineTest.cfg(cfgArgs))
        .file(KernelCmdline.PROC_CMDLINE, "BOOT_IMAGE=/vmlinuz-4.4.0-31-generic root=UUID=abcd ro quiet\n")
        .tools("update-grub", "update-initramfs", "modprobe");
  }

  @Test
  void builtinParser_readsTheKernelsBuiltins_withDashesAsUnderscores() {
    NextKernel k = NextKernel.parse(UBUNTU2204);
    assertThat(k.builtinOf(k.running())).contains("vfio_pci", "vfio").doesNotContain("vfio-pci");
    assertThat(k.builtinOf(k.next())).contains("vfio_pci");
    assertThat(((dev.plumb.facts.Fact.Command) NextKernel.FACT.fact()).script()).contains("modules.builtin").contains("uname -r");
  }

  @Test
  void vfioPciBuiltIn_idsGoOnTheKernelCommandLine_notInModprobeD() {
    Change c = hypervisor(UBUNTU2204, "intel_iommu=on", "quiet intel_iommu=on").diff();
    String conf = ((FactResult.Content) c.writes().get(PciPassthrough.DEFAULT_FILE)).text();
    assertThat(conf).doesNotContain("options vfio-pci").contains("softdep nouveau pre: vfio-pci");
    assertThat(((FactResult.Content) c.writes().get(KernelCmdline.DEFAULT_GRUB)).text())
        .contains("GRUB_CMDLINE_LINUX=\"intel_iommu=on vfio-pci.ids=10de:10f0,10de:1b80\"");
    assertThat(Fixtures.shown(c)).contains("update-grub");
  }

  @Test
  void vfioPciBuiltIn_converged_whenTheIdsAreOnTheNextBootsCommandLine() {
    Fixtures f = hypervisor(UBUNTU2204, "intel_iommu=on vfio-pci.ids=10de:10f0,10de:1b80",
        "quiet intel_iommu=on vfio-pci.ids=10de:10f0,10de:1b80");
    Change first = f.diff();
    Change again = PciPassthroughTest.M.diff(Fixtures.params(PciPassthroughTest.M, PciPassthroughTest.GTX1080), f.after(first));
    assertThat(Fixtures.shown(again)).isEmpty();
    assertThat(first.writes()).doesNotContainKey(KernelCmdline.DEFAULT_GRUB);
  }

  @Test
  void vfioPciAModule_keepsModprobeOptions_andLeavesTheCommandLine() {
    Change c = hypervisor("", "intel_iommu=on", "quiet intel_iommu=on").diff();
    assertThat(((FactResult.Content) c.writes().get(PciPassthrough.DEFAULT_FILE)).text()).isEqualTo(PciPassthroughTest.CONF);
    assertThat(c.writes()).doesNotContainKey(KernelCmdline.DEFAULT_GRUB);
    assertThat(Fixtures.shown(c)).doesNotContain("update-grub");
  }

  @Test
  void kernelModule_builtIn_isLoaded_noModprobe() {
    KernelModule m = new KernelModule();
    Change c = Fixtures.of(m, Map.of("name", "vfio-pci", "boot", false))
        .loaded("nouveau").kernels(UBUNTU2204).diff();
    assertThat(c.action()).isEqualTo(Action.NONE);
    Change absent = Fixtures.of(m, Map.of("name", "vfio_pci", "state", "absent"))
        .loaded("nouveau").kernels(UBUNTU2204).diff();
    assertThat(absent.blockers()).singleElement().asString().contains("built into the running kernel");
  }

  @Test
  void assertModuleLoaded_builtIn_holds() {
    Assert a = new Assert();
    Map<String, Object> p = Map.of("that", Map.of("module_loaded", "vfio_pci"));
    Change builtin = Fixtures.of(a, p).loaded("nouveau").kernels(UBUNTU2204).diff();
    assertThat(builtin.blockers()).isEmpty();
    assertThat(builtin.changes()).isFalse();
    Change missing = Fixtures.of(a, p).loaded("nouveau").kernels("").diff();
    assertThat(missing.changes() || !missing.blockers().isEmpty()).isTrue();
  }

  @Test
  void builtinListedNowhere_isNotAssumed() {
    NextKernel none = NextKernel.parse("");
    assertThat(none.builtinOf(none.next())).isEmpty();
    assertThat(new KernelModule().facts(Fixtures.params(new KernelModule(), Map.of("name", "vfio")))).contains(NextKernel.FACT.fact());
  }
}
