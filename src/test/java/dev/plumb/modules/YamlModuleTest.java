package dev.plumb.modules;

import static dev.plumb.modules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.facts.Fact;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlModuleTest {
  final YamlModule sysctl = new YamlModule("sysctl", "A kernel parameter, set now.",
      List.of(Param.required("key", Param.Type.STRING, "the key"), Param.required("value", Param.Type.STRING, "the value")),
      "sysctl -n {{ key }}", new YamlModule.Condition.StdoutEquals("{{ value }}"),
      List.of("sysctl -w {{ key }}={{value}}"), TakesEffect.NOW, "key");

  @Test
  void fact_isQuotedTemplate() {
    assertThat(sysctl.facts(params(sysctl, "key", "vm.swappiness", "value", "10")))
        .containsExactly(Fact.command("sysctl -n vm.swappiness"));
    assertThat(sysctl.facts(params(sysctl, "key", "a; rm -rf /", "value", "1")))
        .containsExactly(Fact.command("sysctl -n 'a; rm -rf /'"));
    assertThat(sysctl.keyParam()).isEqualTo("key");
  }

  @Test
  void converged_none_comparingRawValueWithWhitespaceCollapsed() {
    Params p = params(sysctl, "key", "net.ipv4.ip_local_port_range", "value", "32768 60999");
    Change c = sysctl.diff(p, facts(Fact.command("sysctl -n net.ipv4.ip_local_port_range"), out(0, "32768\t60999\n")));
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.commands()).isEmpty();
  }

  @Test
  void notConverged_runObservedWithQuotedCommands() {
    Params p = params(sysctl, "key", "vm.swappiness", "value", "10 x");
    Change c = sysctl.diff(p, facts(Fact.command("sysctl -n vm.swappiness"), out(0, "60\n")));
    assertThat(c.action()).isEqualTo(Action.RUN);
    assertThat(c.label()).isEqualTo(Label.OBSERVED);
    assertThat(c.before()).isEqualTo("60");
    assertThat(c.after()).isEqualTo("10 x");
    assertThat(c.commands()).containsExactly(Command.shell("sysctl -w vm.swappiness='10 x'"));
  }

  @Test
  void exitStatusAndContains_conditions() {
    YamlModule mod = new YamlModule("kmod", "a module loaded", List.of(Param.required("name", Param.Type.STRING, "m")),
        "grep -q ^{{ name }}' ' /proc/modules", new YamlModule.Condition.ExitStatus(0),
        List.of("modprobe {{ name }}"), TakesEffect.AFTER_REBOOT);
    Params p = params(mod, "name", "vfio_pci");
    Fact f = Fact.command("grep -q ^vfio_pci' ' /proc/modules");
    assertThat(mod.diff(p, facts(f, out(0, ""))).action()).isEqualTo(Action.NONE);
    Change c = mod.diff(p, facts(f, out(1, "")));
    assertThat(c.takesEffect()).isEqualTo(TakesEffect.AFTER_REBOOT);
    assertThat(c.commands()).containsExactly(Command.shell("modprobe vfio_pci"));
    assertThat(mod.keyParam()).isNull();
    assertThat(YamlModule.holds(new YamlModule.Condition.StdoutContains("{{ name }}"), out(0, "x vfio_pci y"), p)).isTrue();
  }

  @Test
  void placeholderWithFilter_rejectedRatherThanLeftInTheCommand() {
    assertThatThrownBy(() -> new YamlModule("x", "d", List.of(Param.required("a", Param.Type.STRING, "a")),
        "echo {{ a | upper }}", new YamlModule.Condition.ExitStatus(0), List.of(), TakesEffect.NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a placeholder");
  }

  @Test
  void undeclaredPlaceholder_rejected() {
    assertThatThrownBy(() -> new YamlModule("x", "d", List.of(Param.required("a", Param.Type.STRING, "a")),
        "echo {{ b }}", new YamlModule.Condition.ExitStatus(0), List.of(), TakesEffect.NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("{{ b }}");
  }
}
