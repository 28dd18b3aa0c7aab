package dev.plumb.load;

import dev.plumb.modules.YamlModule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.modules.Param;
import dev.plumb.modules.TakesEffect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlModulesTest {
  @TempDir Path dir;

  static final String SYSCTL = """
      type: sysctl_value
      description: A kernel parameter, set at runtime
      params:
        - {name: key, type: string, required: true, doc: "sysctl key, e.g. vm.swappiness"}
        - {name: value, type: string, required: true}
        - {name: persist, type: bool, default: "true"}
      fact: "sysctl -n {{ key }}"
      converged: {stdout_equals: "{{ value }}"}
      converge:
        - "sysctl -w {{ key }}={{ value }}"
      takes_effect: now
      """;

  @Test
  void specIsParsed_registeredThroughTheFactory_andUsable() {
    List<YamlModuleSpec> seen = new ArrayList<>();
    Fixture fx = new Fixture(dir).write("modules/sysctl_value.yml", SYSCTL).write("playbooks/play.yml", """
        - hosts: all
          resources:
            - sysctl_value: {key: vm.swappiness, value: "10"}
        """);
    fx.yamlModules = spec -> {
      seen.add(spec);
      return new FakeModules.Fake(spec.type(), spec.params(), spec.keyParam());
    };
    Catalog c = fx.load("playbooks/play.yml");
    assertThat(c.hosts().get(0).resources()).extracting(Resource::id).containsExactly("sysctl_value[vm.swappiness]");
    YamlModuleSpec spec = seen.get(0);
    assertThat(spec.type()).isEqualTo("sysctl_value");
    assertThat(spec.params()).extracting(Param::name).containsExactly("key", "value", "persist");
    assertThat(spec.params().get(2)).isEqualTo(new Param("persist", Param.Type.BOOL, false, "true", ""));
    assertThat(spec.fact()).isEqualTo("sysctl -n {{ key }}");
    assertThat(spec.converged()).isEqualTo(new YamlModule.Condition.StdoutEquals("{{ value }}"));
    assertThat(spec.converge()).containsExactly("sysctl -w {{ key }}={{ value }}");
    assertThat(spec.takesEffect()).isEqualTo(TakesEffect.NOW);
    assertThat(spec.keyParam()).isEqualTo("key");
    assertThat(spec.mark().toString()).endsWith("sysctl_value.yml:1:1");
  }

  @Test
  void withoutFactory_specsAreStillChecked() {
    String e = new Fixture(dir).write("modules/bad.yml", """
        type: bad
        params:
          - {name: key, type: strng, requierd: true}
        fact: "cat {{ ky }}"
        converged: {stdout_contain: x}
        converge: ["echo {{ key }}"]
        takes_effect: later
        colour: blue
        """).write("play.yml", "- hosts: all\n  resources:\n    - bad: {key: x}\n").errors();
    assertThat(e)
        .contains("modules/bad.yml:3:23: error: unknown parameter type 'strng'", "did you mean 'string'?")
        .contains("modules/bad.yml:3:30: error: unknown key 'requierd' in a parameter", "did you mean 'required'?")
        .contains("modules/bad.yml:4:7: error: '{{ ky }}' is not a parameter of this module", "did you mean 'key'?")
        .doesNotContain("'{{ key }}' is not a parameter")
        .contains("modules/bad.yml:5:13: error: unknown condition 'stdout_contain' in converged",
            "did you mean 'stdout_contains'?")
        .contains("modules/bad.yml:7:15: error: takes_effect must be now, reboot or restart:<service>")
        .contains("modules/bad.yml:8:1: error: unknown key 'colour' in a module")
        // The module is broken, so its resources are not reported again as an unknown type.
        .doesNotContain("unknown resource type 'bad'");
  }

  @Test
  void restartAndReboot_andExitStatusDefault() {
    List<YamlModuleSpec> seen = new ArrayList<>();
    Fixture fx = new Fixture(dir)
        .write("modules/a.yml", "fact: 'true'\nconverge: ['x']\ntakes_effect: 'restart:nova-compute'\n")
        .write("modules/b.yml", "fact: 'true'\nconverge: ['x']\ntakes_effect: reboot\nconverged: {exit_status: 3}\n")
        .write("play.yml", "- hosts: all\n  resources: []\n");
    fx.yamlModules = spec -> {
      seen.add(spec);
      return new FakeModules.Fake(spec.type(), spec.params(), spec.keyParam());
    };
    fx.load();
    assertThat(seen).extracting(YamlModuleSpec::type).containsExactly("a", "b");
    assertThat(seen.get(0).takesEffect()).isEqualTo(TakesEffect.afterRestart("nova-compute"));
    assertThat(seen.get(0).converged()).isEqualTo(new YamlModule.Condition.ExitStatus(0));
    assertThat(seen.get(1).takesEffect()).isEqualTo(TakesEffect.AFTER_REBOOT);
    assertThat(seen.get(1).converged()).isEqualTo(new YamlModule.Condition.ExitStatus(3));
  }

  @Test
  void typeClashWithABuiltin_isAnError() {
    Fixture fx = new Fixture(dir).write("modules/file.yml", "fact: 'true'\nconverge: ['x']\n")
        .write("play.yml", "- hosts: all\n  resources: []\n");
    fx.yamlModules = spec -> new FakeModules.Fake(spec.type(), spec.params(), spec.keyParam());
    assertThat(fx.errors()).contains("modules/file.yml:1:1: error: resource type 'file' is already defined by plumb");
  }
}
