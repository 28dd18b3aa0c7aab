package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.modules.Change;
import dev.plumb.modules.HostLint;
import dev.plumb.source.Problem;
import dev.plumb.source.Problems;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 15: lints of kernel parameters the kernel ignores, and the CUDA prefix reaching the installers. */
class GpuHostLintsTest {
  static final KernelCmdline CMDLINE = new KernelCmdline();

  @Test
  void intelIommu_valuesTheKernelDoesNotTake_areErrors() {
    Problems p = Fixtures.validate(CMDLINE, Map.of("present", List.of("intel_iommu=1")));
    assertThat(p.all()).extracting(Problem::message).containsExactly("intel_iommu does not take '1': the kernel ignores it and the IOMMU stays off");
    assertThat(Fixtures.validate(CMDLINE, Map.of("present", List.of("intel_iommu=on,sm_on"))).all()).isEmpty();
    assertThat(Fixtures.validate(CMDLINE, Map.of("present", List.of("intel_iommu=igfx_off"))).all()).isEmpty();
  }

  @Test
  void moduleParameterNames_ofKnownModules_areChecked() {
    Problems p = Fixtures.validate(CMDLINE, Map.of("present", List.of("vfio_pci.id=10de:1b80")));
    assertThat(p.all()).extracting(Problem::message).containsExactly("module vfio_pci has no parameter id; did you mean vfio_pci.ids?");
    assertThat(Fixtures.validate(CMDLINE, Map.of("present", List.of("vfio-pci.ids=10de:1b80", "vfio_iommu_type1.allow_unsafe_interrupts=1")))
        .all()).isEmpty();
  }

  @Test
  void modprobeBlacklistOfNvidia_onTheCommandLine_withNvidiaDriver_isAnError() {
    HostLint.Declared driver = PciPassthroughTest.declared(new NvidiaDriver(), Map.of("version", "367.35"));
    HostLint.Declared cmdline = PciPassthroughTest.declared(CMDLINE, Map.of("present", List.of("modprobe.blacklist=nouveau,nvidia")));
    Problems p = new Problems();
    new GpuLints.DriverBlacklisted().check(List.of(cmdline, driver), p);
    assertThat(p.all()).singleElement().satisfies(x -> assertThat(x.message())
        .startsWith("modprobe.blacklist=nouveau,nvidia on the kernel command line and nvidia_driver"));
    Problems ok = new Problems();
    new GpuLints.DriverBlacklisted().check(List.of(PciPassthroughTest.declared(CMDLINE, Map.of("present", List.of("modprobe.blacklist=nouveau"))),
        driver), ok);
    assertThat(ok.all()).isEmpty();
  }

  @Test
  void cudaPrefix_reachesTheInstallerAndEachPatch() {
    Map<String, Object> p = new java.util.HashMap<>(CudaToolkitTest.P);
    p.put("prefix", "/opt/");
    String run = CudaToolkitTest.RUN;
    String patch = CudaToolkitTest.PATCH;
    Change c = Fixtures.of(new CudaToolkit(), p)
        .cmd(NvidiaDriver.shaFact(run), CudaToolkitTest.SHA + "  " + run + "\n")
        .cmd(NvidiaDriver.shaFact(patch), CudaToolkitTest.PSHA + "  " + patch + "\n")
        .cmd(CudaToolkit.nvcc(), 1, "")
        .cmd(CudaToolkit.link(Fixtures.params(new CudaToolkit(), p)), 1, "").diff();
    List<String> shown = Fixtures.shown(c);
    assertThat(shown.get(0)).isEqualTo("sh " + run + " --silent --toolkit --override --toolkitpath=/opt/cuda-8.0");
    assertThat(shown.get(1)).isEqualTo("sh " + patch + " --silent --accept-eula --installdir=/opt/cuda-8.0");
  }
}
