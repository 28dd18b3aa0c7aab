package dev.plumb.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModuleSpecTest {
  private static final Param PATH = Param.required("path", Param.Type.STRING, "a path");

  @Test
  void of_keyParamThatIsNotAParameter_isRefused() {
    assertThatThrownBy(() -> ModuleSpec.of("tfile", "a file", "name", PATH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("module tfile: key parameter 'name' is not declared");
  }

  @Test
  void module_answersTypeDescriptionParamsAndKey_fromItsSpec() {
    Module m = new FileModule();
    assertThat(m.type()).isEqualTo(m.spec().type()).isEqualTo("file");
    assertThat(m.description()).isEqualTo(m.spec().description());
    assertThat(m.params()).isEqualTo(m.spec().params()).extracting(Param::name).startsWith("path");
    assertThat(m.keyParam()).isEqualTo("path");
  }

  @Test
  void needingName_hasNoKeyParam() {
    assertThat(ModuleSpec.needingName("tcmd", "a command", PATH).keyParam()).isNull();
    assertThat(new CommandModule().keyParam()).isNull();
  }
}
