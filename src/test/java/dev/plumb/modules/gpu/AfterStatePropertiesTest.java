package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.plumb.Gens;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** "Diffing against the predicted after-state gives NONE" for the modules that write files. */
class AfterStatePropertiesTest {

  /** What a file the module owns may hold: missing, samples, or a generated modprobe.d file. */
  static Gen<String> oldContent() {
    Gen<String> samples = Generate.pick(List.of("", "# hand-written\n", "options vfio-pci ids=10de:1b80\n", "vfio\n", "nvidia-uvm",
        "8.0.27.1\n"));
    return Gens.fileOrMissing(samples.mix(Gens.modprobeFile(), 50));
  }

  /** Applies the predicted writes, and the module loads the commands will do. */
  static FactSet after(Fixtures f, Change c, Set<String> loaded) {
    Set<String> now = new LinkedHashSet<>(loaded);
    for (Command cmd : c.commands()) {
      List<String> argv = cmd.argv().stream().filter(a -> !a.equals("--")).toList();
      if (argv.size() == 2 && argv.get(0).equals("modprobe")) {
        now.add(GpuFacts.moduleName(argv.get(1)));
      } else if (argv.size() == 3 && argv.get(0).equals("modprobe") && argv.get(1).equals("-r")) {
        now.remove(GpuFacts.moduleName(argv.get(2)));
      }
    }
    FactSet base = f.loaded(now.toArray(String[]::new)).facts();
    for (var w : c.writes().entrySet()) {
      base = base.withFile(w.getKey(), w.getValue());
    }
    return base;
  }

  @Test
  void kernelModule() {
    Gen<boolean[]> flags = lists().of(Generate.booleans()).ofSize(4).map(l -> new boolean[] {l.get(0), l.get(1), l.get(2), l.get(3)})
        .describedAs(java.util.Arrays::toString);
    qt().withExamples(200).forAll(oldContent(), oldContent(), flags)
        .checkAssert((loadFile, optionsFile, b) -> kernelModule(loadFile, optionsFile, b[0], b[1], b[2], b[3]));
  }

  private static void kernelModule(String loadFile, String optionsFile, boolean loaded, boolean boot, boolean absent,
      boolean withOptions) {
    KernelModule m = new KernelModule();
    Map<String, Object> p = new LinkedHashMap<>(Map.of("name", "vfio-pci", "boot", boot, "state", absent ? "absent" : "loaded"));
    if (withOptions) {
      p.put("options", "disable_vga=1");
    }
    Fixtures f = Fixtures.of(m, p);
    if (loadFile != null) {
      f.file("/etc/modules-load.d/vfio-pci.conf", loadFile);
    }
    if (optionsFile != null) {
      f.file("/etc/modprobe.d/vfio-pci-options.conf", optionsFile);
    }
    Set<String> mods = loaded ? Set.of("vfio_pci") : Set.of();
    f.loaded(mods.toArray(String[]::new));
    Change c = f.diff();
    assertThat(m.diff(Fixtures.params(m, p), after(f, c, mods)).action()).isEqualTo(Action.NONE);
  }

  static Gen<String> driver() {
    return Generate.pick(List.of("nouveau", "vfio-pci", "-", "snd_hda_intel", "nvidia", "vfio_pci", "nvidia_drm"));
  }

  @Test
  void pciPassthrough() {
    Gen<boolean[]> flags = lists().of(Generate.booleans()).ofSize(3).map(l -> new boolean[] {l.get(0), l.get(1), l.get(2)})
        .describedAs(java.util.Arrays::toString);
    qt().withExamples(200).forAll(oldContent(), oldContent(), driver().zip(driver(), List::of), flags)
        .checkAssert((conf, load, drivers, b) -> pciPassthrough(conf, load, drivers.get(0), drivers.get(1), b[0], b[1], b[2]));
  }

  private static void pciPassthrough(String conf, String load, String gpuDriver, String audioDriver, boolean groups,
      boolean extraInGroup, boolean removeAudio) {
    PciPassthrough m = new PciPassthrough();
    StringBuilder sysfs = new StringBuilder();
    if (groups) {
      sysfs.append("group 13 0000:42:00.0 0000:42:00.1").append(extraInGroup ? " 0000:43:00.0 0000:40:01.0" : "").append('\n');
    }
    String g = groups ? "13" : "-";
    sysfs.append("dev 0000:42:00.0 0x10de 0x1b80 0x030000 ").append(gpuDriver).append(' ').append(g).append('\n');
    sysfs.append("dev 0000:42:00.1 0x10de 0x10f0 0x040300 ").append(audioDriver).append(' ').append(g).append('\n');
    sysfs.append("dev 0000:43:00.0 0x1b21 0x2142 0x0c0330 xhci_hcd ").append(groups && extraInGroup ? "13" : "-").append('\n');
    sysfs.append("dev 0000:40:01.0 0x1022 0x1453 0x060400 pcieport ").append(groups && extraInGroup ? "13" : "-").append('\n');
    Map<String, Object> p = new LinkedHashMap<>(Map.of("vendor", "10de", "device", "1b80"));
    if (removeAudio) {
      p.put("remove", "audio");
    }
    Fixtures f = Fixtures.of(m, p).cmd(PciDevices.FACT, sysfs.toString());
    if (conf != null) {
      f.file(PciPassthrough.DEFAULT_FILE, conf);
    }
    if (load != null) {
      f.file(PciPassthrough.DEFAULT_LOAD_FILE, load);
    }
    Change c = f.diff();
    FactSet after = f.after(c);
    if (removeAudio) {
      // The sysfs remove took the audio function away.
      String removed = sysfs.toString().replace(" 0000:42:00.1", "").lines().filter(l -> !l.contains("0000:42:00.1"))
          .map(l -> l + "\n").reduce("", String::concat);
      Map<dev.plumb.facts.Fact, dev.plumb.facts.FactResult> read = new LinkedHashMap<>(after.asRead());
      read.put(PciDevices.FACT, dev.plumb.facts.FactResult.output(0, removed));
      after = FactSet.of(read);
      for (var w : c.writes().entrySet()) {
        after = after.withFile(w.getKey(), w.getValue());
      }
    }
    Change again = m.diff(Fixtures.params(m, p), after);
    assertThat(again.commands()).isEmpty();
    if (groups && extraInGroup) {
      // A host device in the GPU's group blocks the resource, before and after alike (issue 15).
      assertThat(c.blockers()).isNotEmpty();
      assertThat(again.blockers()).isNotEmpty();
      return;
    }
    assertThat(again.action()).isEqualTo(Action.NONE);
  }

  @Test
  void cudaPatches() {
    qt().withExamples(100).forAll(applied(), Generate.booleans()).checkAssert(AfterStatePropertiesTest::cudaPatches);
  }

  private static void cudaPatches(List<String> applied, boolean toolkitInstalled) {
    CudaToolkit m = new CudaToolkit();
    List<Object> patches = new ArrayList<>();
    for (String v : List.of("8.0.27.1", "8.0.27.2")) {
      patches.add(Map.of("version", v, "installer", "/opt/cuda_" + v + "_linux.run", "sha256", "d".repeat(64)));
    }
    Map<String, Object> p = Map.of("version", "8.0.27", "installer", "/opt/cuda.run", "sha256", "c".repeat(64), "patches", patches);
    Fixtures f = Fixtures.of(m, p).cmd(NvidiaDriver.shaFact("/opt/cuda.run"), "c".repeat(64) + "  x\n");
    for (String v : List.of("8.0.27.1", "8.0.27.2")) {
      f.cmd(NvidiaDriver.shaFact("/opt/cuda_" + v + "_linux.run"), "d".repeat(64) + "  x\n");
    }
    if (!applied.isEmpty()) {
      f.file("/usr/local/cuda-8.0/.plumb-patches", String.join("\n", applied));
    }
    if (toolkitInstalled) {
      f.file("/usr/local/cuda-8.0/version.txt", "CUDA Version 8.0.27\n");
    }
    Change c = f.diff();
    FactSet after = f.after(c).withFile("/usr/local/cuda-8.0/version.txt", dev.plumb.facts.FactResult.content("CUDA Version 8.0.27\n"));
    assertThat(m.diff(Fixtures.params(m, p), after).action()).isEqualTo(Action.NONE);
    long patchRuns = c.commands().stream().filter(x -> x.argv().contains("--accept-eula")).count();
    assertThat(patchRuns).isEqualTo(2 - applied.stream().filter(a -> a.startsWith("8.0.27.")).distinct().count());
  }

  /** Patch marks already recorded: none, either, both, in any order. */
  static Gen<List<String>> applied() {
    return lists().of(Generate.pick(List.of("8.0.27.1", "8.0.27.2"))).ofSizeBetween(0, 2)
        .map(l -> List.copyOf(new LinkedHashSet<>(l)));
  }

  @Test
  void nvidiaUvm() {
    qt().withExamples(50).forAll(oldContent(), Generate.booleans()).checkAssert(AfterStatePropertiesTest::nvidiaUvm);
  }

  private static void nvidiaUvm(String uvmFile, boolean uvmLoaded) {
    NvidiaDriver m = new NvidiaDriver();
    Map<String, Object> p = Map.of("version", "367.35");
    Fixtures f = Fixtures.of(m, p).cmd(NvidiaDriver.MODINFO, "4.4.0-31-generic 367.35\n").kernels(Fixtures.kernels("4.4.0-31-generic", null))
        .file(NvidiaDriver.PROC_VERSION, "NVRM version: NVIDIA UNIX x86_64 Kernel Module  367.35  Tue Jul 12 2016\n");
    if (uvmFile != null) {
      f.file(NvidiaDriver.UVM_FILE, uvmFile);
    }
    Set<String> mods = uvmLoaded ? Set.of("nvidia", "nvidia_uvm") : Set.of("nvidia");
    f.loaded(mods.toArray(String[]::new));
    Change c = f.diff();
    assertThat(c.commands()).noneMatch(x -> x.argv().get(0).equals("sh"));
    assertThat(m.diff(Fixtures.params(m, p), after(f, c, mods)).action()).isEqualTo(Action.NONE);
  }
}
