package dev.plumb.modules;

import static dev.plumb.modules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.Fact;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandModuleTest {
  final CommandModule mod = new CommandModule();

  @Test
  void unguarded_runsOpaque() {
    Params p = params(mod, "argv", List.of("update-initramfs", "-u", "-k", "all"));
    assertThat(mod.facts(p)).isEmpty();
    Change c = mod.diff(p, facts());
    assertThat(c.action()).isEqualTo(Action.RUN);
    assertThat(c.label()).isEqualTo(Label.OPAQUE);
    assertThat(c.commands()).containsExactly(Command.of("update-initramfs", "-u", "-k", "all"));
    assertThat(mod.keyParam()).isNull();
  }

  @Test
  void creates_existing_none_missing_runObserved() {
    Params p = params(mod, "shell", "sh /tmp/cuda.run --silent", "creates", "/usr/local/cuda dir");
    Fact test = Fact.command("test -e '/usr/local/cuda dir'");
    assertThat(mod.facts(p)).containsExactly(test);
    Change done = mod.diff(p, facts(test, out(0, "")));
    assertThat(done.action()).isEqualTo(Action.NONE);
    assertThat(done.commands()).isEmpty();
    Change run = mod.diff(p, facts(test, out(1, "")));
    assertThat(run.action()).isEqualTo(Action.RUN);
    assertThat(run.label()).isEqualTo(Label.OBSERVED);
    assertThat(run.commands()).containsExactly(Command.shell("sh /tmp/cuda.run --silent"));
  }

  @Test
  void unless_exit0_none() {
    Params p = params(mod, "argv", List.of("modprobe", "vfio-pci"), "unless", "grep -q '^vfio_pci ' /proc/modules");
    Fact check = Fact.command("grep -q '^vfio_pci ' /proc/modules");
    assertThat(mod.diff(p, facts(check, out(0, ""))).action()).isEqualTo(Action.NONE);
    assertThat(mod.diff(p, facts(check, out(1, ""))).commands()).containsExactly(Command.of("modprobe", "vfio-pci"));
  }

  @Test
  void timeout_wrapsWithCoreutilsTimeout() {
    assertThat(mod.diff(params(mod, "argv", List.of("nvidia-smi"), "timeout", "30"), facts()).commands())
        .containsExactly(Command.of("timeout", "30", "nvidia-smi"));
    assertThat(mod.diff(params(mod, "shell", "a | b", "timeout", "5"), facts()).commands())
        .containsExactly(Command.of("timeout", "5", "/bin/sh", "-c", "a | b"));
  }

  @Test
  void validate_badCombinations() {
    assertThat(problems(mod, params(mod))).containsExactly("argv or shell is required");
    assertThat(problems(mod, params(mod, "argv", List.of("a"), "shell", "b"))).containsExactly("argv and shell are both given");
    assertThat(problems(mod, params(mod, "shell", "b", "creates", "x"))).containsExactly("creates 'x' is not absolute");
    assertThat(problems(mod, params(mod, "shell", "b", "timeout", "-1"))).hasSize(1);
    assertThat(problems(mod, params(mod, "shell", "b", "timeout", "60"))).isEmpty();
  }
}
