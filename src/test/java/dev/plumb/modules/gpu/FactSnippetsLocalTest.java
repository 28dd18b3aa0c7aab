package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.Fact;
import dev.plumb.apply.FactReader;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Module;
import dev.plumb.modules.Params;
import dev.plumb.transport.LocalConnection;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Runs every GPU module's fact snippets in one batched script on this machine with /bin/sh: the
 * snippets are valid POSIX sh, decode, and every module's diff runs on real (if GPU-less) output.
 */
class FactSnippetsLocalTest {
  static final Map<Module, Map<String, ?>> EXAMPLES = Map.of(
      new KernelCmdline(), Map.of("present", List.of("intel_iommu=on")),
      new ModuleBlacklist(), Map.of("modules", List.of("nouveau")),
      new Initramfs(), Map.of(),
      new KernelModule(), Map.of("name", "vfio"),
      new PciPassthrough(), Map.of("vendor", "10de", "remove", "audio"),
      new NvidiaDriver(), Map.of("version", "367.35", "installer", "/nonexistent/x.run", "sha256", "a".repeat(64)),
      new CudaToolkit(), Map.of("version", "8.0.27"),
      new NovaPci(), Map.of("openstack_release", "mitaka", "whitelist", List.of(Map.of("vendor_id", "10de"))),
      new OpenstackFlavor(), Map.of("flavor", "x", "properties", Map.of("a", "b")),
      new Assert(), Map.of("that", "iommu_groups_nonempty"));

  @Test
  void allSnippets_runInOneScript_andEveryDiffRuns() throws Exception {
    Set<Fact> facts = new LinkedHashSet<>();
    EXAMPLES.forEach((m, p) -> facts.addAll(m.facts(Params.of(p, m.params()))));
    facts.add(GpuLints.IommuVendor.CPU_VENDOR);
    FactSet read = FactReader.read(new LocalConnection("localhost"), facts, Duration.ofSeconds(30));
    assertThat(read.asRead()).hasSize(facts.size());
    FactResult.Output tools = read.command(GpuFacts.TOOLS.script());
    assertThat(tools.ok()).isTrue();
    assertThat(read.command(PciDevices.FACT.script()).ok()).isTrue();
    assertThat(read.command(GpuFacts.LOADED_MODULES.script()).exitStatus()).isZero();
    EXAMPLES.forEach((m, p) -> assertThat(m.diff(Params.of(p, m.params()), read)).isNotNull());
    PciDevices.read(read).devices().forEach(d -> assertThat(d.vendor()).matches("[0-9a-f]{4}"));
  }
}
