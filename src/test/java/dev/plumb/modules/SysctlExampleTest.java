package dev.plumb.modules;

import static dev.plumb.modules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.Fact;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** modules/sysctl.yml, read the plain way (not through the loader), works as a YamlModule. */
class SysctlExampleTest {

  @Test
  @SuppressWarnings("unchecked")
  void example_buildsAndDiffs() throws Exception {
    Map<String, Object> y = (Map<String, Object>) new Load(LoadSettings.builder().build())
        .loadFromString(Files.readString(Path.of("modules/sysctl.yml")));
    List<Param> params = ((List<Map<String, Object>>) y.get("params")).stream()
        .map(p -> Param.required((String) p.get("name"), Param.Type.STRING, (String) p.get("doc")))
        .toList();
    Map<String, String> converged = (Map<String, String>) y.get("converged");
    YamlModule mod = new YamlModule((String) y.get("type"), (String) y.get("description"), params,
        (String) y.get("fact"), new YamlModule.Condition.StdoutEquals(converged.get("stdout_equals")),
        (List<String>) y.get("converge"), TakesEffect.NOW, (String) y.get("key"));
    Params p = params(mod, "key", "net.ipv4.ip_forward", "value", "1");
    Fact fact = Fact.command("sysctl -n net.ipv4.ip_forward");
    assertThat(mod.facts(p)).containsExactly(fact);
    assertThat(mod.diff(p, facts(fact, out(0, "1\n"))).action()).isEqualTo(Action.NONE);
    assertThat(mod.diff(p, facts(fact, out(0, "0\n"))).commands())
        .containsExactly(Command.shell("sysctl -w net.ipv4.ip_forward=1"));
  }
}
