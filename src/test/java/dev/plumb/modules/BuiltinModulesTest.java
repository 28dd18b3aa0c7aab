package dev.plumb.modules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuiltinModulesTest {

  @Test
  void registry_hasTheGenericModules_withDocumentedParams() {
    ModuleRegistry registry = ModuleRegistry.withBuiltins();
    for (String type : new String[] {"file", "line", "ini", "command", "service", "package"}) {
      Module m = registry.find(type).orElseThrow();
      assertThat(m.description()).isNotBlank();
      assertThat(m.params()).allSatisfy(p -> assertThat(p.doc()).isNotBlank());
      if (m.keyParam() != null) {
        assertThat(m.params()).anyMatch(p -> p.name().equals(m.keyParam()));
      }
    }
  }
}
