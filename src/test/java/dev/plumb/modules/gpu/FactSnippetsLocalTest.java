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

  /**
   * The inline snippets run in the fact script's own shell, which the watch keeps from cycle to
   * cycle: run twice there (dash, and bash as sh), they leave its directory, PATH, IFS, options,
   * positional parameters, umask and traps as they found them, and give the same output both times.
   */
  @Test
  void inlineSnippets_leaveTheKeptShellAsTheyFoundIt() throws Exception {
    Set<Fact> facts = new LinkedHashSet<>();
    EXAMPLES.forEach((m, p) -> facts.addAll(m.facts(Params.of(p, m.params()))));
    facts.add(GpuLints.IommuVendor.CPU_VENDOR);
    facts.add(dev.plumb.apply.Lease.PROBE);
    List<Fact.Command> inline = facts.stream().filter(f -> f instanceof Fact.Command c && c.inline())
        .map(f -> (Fact.Command) f).toList();
    assertThat(inline).contains(PciDevices.FACT, GpuLints.IommuVendor.CPU_VENDOR, GpuFacts.TOOLS, GpuFacts.LOADED_MODULES,
        KernelCmdline.GRUBBY, (Fact.Command) dev.plumb.apply.Lease.PROBE);
    String script = dev.plumb.facts.FactScript.of(List.copyOf(inline)).script();
    String state = "printf '[%s|%s|%s|%s|%s|' \"$PWD\" \"$PATH\" \"$IFS\" \"$-\" \"$*\"; umask; trap; echo ]\n";
    for (List<String> shell : List.of(List.of("/bin/sh"), List.of("/bin/bash", "--posix"))) {
      if (!java.nio.file.Files.isExecutable(java.nio.file.Path.of(shell.get(0)))) {
        continue;
      }
      java.nio.file.Path home = java.nio.file.Files.createTempDirectory("plumb-cwd");
      List<String> argv = new java.util.ArrayList<>(shell);
      argv.addAll(List.of("-c", "set -- a 'b c'; cd " + home + " || exit 9\n" + state
          + "{\n" + script + "\n} </dev/null >/dev/null 2>&1\n" + state
          + "{\n" + script + "\n} </dev/null >/dev/null 2>&1\n" + state));
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(out).isZero();
      String[] states = out.split("\n\\]\n|\\]\n", -1);
      assertThat(out).as(shell.toString()).startsWith("[" + home + "|");
      assertThat(states[1]).as(shell.toString()).isEqualTo(states[0]);
      assertThat(states[2]).as(shell.toString()).isEqualTo(states[0]);
      java.nio.file.Files.delete(home);
    }
  }
}
