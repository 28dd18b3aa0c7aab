package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.modules.Module;
import dev.plumb.modules.ModuleRegistry;
import org.junit.jupiter.api.Test;

class BuiltinsTest {

  @Test
  void registry_hasTheGenericAndGpuModules_inTheOrderPlumbModulesShows() {
    assertThat(Builtins.registry().all()).extracting(Module::type)
        .startsWith("file", "line", "ini", "command", "service", "package", "kernel_cmdline")
        .contains("pci_passthrough", "nvidia_driver", "cuda_toolkit", "nova_pci", "assert");
  }

  @Test
  void everyBuiltinModule_isDescribed_andItsKeyParamIsOneOfItsParams() {
    ModuleRegistry registry = Builtins.registry();
    assertThat(registry.all()).allSatisfy(m -> {
      assertThat(m.description()).as(m.type()).isNotBlank();
      assertThat(m.params()).as(m.type()).allSatisfy(p -> assertThat(p.doc()).as(m.type() + "." + p.name()).isNotBlank());
      if (m.keyParam() != null) {
        assertThat(m.params()).as(m.type()).anyMatch(p -> p.name().equals(m.keyParam()));
      }
    });
    assertThat(registry.lints()).isNotEmpty();
  }
}
