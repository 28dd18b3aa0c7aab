package dev.plumb.modules;

import static dev.plumb.modules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.Fact;
import org.junit.jupiter.api.Test;

class ServiceModuleTest {
  final ServiceModule mod = new ServiceModule();
  static final Fact ACTIVE = Fact.command("systemctl is-active nova-compute");
  static final Fact ENABLED = Fact.command("systemctl is-enabled nova-compute");

  @Test
  void facts_quotedUnit() {
    assertThat(mod.facts(params(mod, "name", "nova-compute", "state", "started", "enabled", "true")))
        .containsExactly(ACTIVE, ENABLED);
    assertThat(ServiceModule.activeScript("a b")).isEqualTo("systemctl is-active 'a b'");
    assertThat(mod.keyParam()).isEqualTo("name");
  }

  @Test
  void startedAndEnabled_converged_none() {
    Change c = mod.diff(params(mod, "name", "nova-compute", "state", "started", "enabled", "yes"),
        facts(ACTIVE, out(0, "active\n"), ENABLED, out(0, "enabled\n")));
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.commands()).isEmpty();
  }

  @Test
  void inactiveDisabled_enableThenStart() {
    Change c = mod.diff(params(mod, "name", "nova-compute", "state", "started", "enabled", "true"),
        facts(ACTIVE, out(3, "inactive\n"), ENABLED, out(1, "disabled\n")));
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(c.label()).isEqualTo(Label.OBSERVED);
    assertThat(c.before()).isEqualTo("inactive, disabled");
    assertThat(c.after()).isEqualTo("active, enabled");
    assertThat(c.commands()).containsExactly(
        Command.of("systemctl", "enable", "nova-compute"), Command.of("systemctl", "start", "nova-compute"));
  }

  @Test
  void stopped_stopsActive_disablesEnabled() {
    Change c = mod.diff(params(mod, "name", "nova-compute", "state", "stopped", "enabled", "false"),
        facts(ACTIVE, out(0, "active\n"), ENABLED, out(0, "enabled\n")));
    assertThat(c.commands()).containsExactly(
        Command.of("systemctl", "disable", "nova-compute"), Command.of("systemctl", "stop", "nova-compute"));
    Change staticUnit = mod.diff(params(mod, "name", "nova-compute", "enabled", "true"),
        facts(ACTIVE, out(0, "active\n"), ENABLED, out(0, "static\n")));
    assertThat(staticUnit.commands()).isEmpty();
  }

  @Test
  void restarted_isARestartAction() {
    Change c = mod.diff(params(mod, "name", "nova-compute", "state", "restarted"), facts(ACTIVE, out(0, "active\n")));
    assertThat(c.action()).isEqualTo(Action.RESTART);
    assertThat(c.commands()).containsExactly(Command.of("systemctl", "restart", "nova-compute"));
  }

  @Test
  void noSystemctl_blocker() {
    Change c = mod.diff(params(mod, "name", "nova-compute", "state", "started"), facts(ACTIVE, out(127, "")));
    assertThat(c.blockers()).containsExactly("systemd not found on this host (systemctl is missing)");
    assertThat(c.commands()).isEmpty();
  }

  @Test
  void maskedOrMissingUnit_blocker() {
    Change masked = mod.diff(params(mod, "name", "nova-compute", "enabled", "true"),
        facts(ACTIVE, out(3, "inactive\n"), ENABLED, out(1, "masked\n")));
    assertThat(masked.blockers()).hasSize(1);
    assertThat(masked.blockers().get(0)).startsWith("nova-compute is masked");
    Change missing = mod.diff(params(mod, "name", "nova-compute", "enabled", "true"),
        facts(ACTIVE, out(3, "inactive\n"), ENABLED, out(1, "not-found\n")));
    assertThat(missing.blockers().get(0)).startsWith("unit nova-compute not found");
  }

  @Test
  void validate_badCombinations() {
    assertThat(problems(mod, params(mod, "name", "x"))).containsExactly("a service needs state or enabled");
    assertThat(problems(mod, params(mod, "name", "x", "state", "running"))).as("the loader reports it").isEmpty();
    assertThat(problems(mod, params(mod, "name", "--now", "state", "started"))).containsExactly("'--now' is not a systemd unit name");
    assertThat(problems(mod, params(mod, "name", "getty@tty1.service", "state", "started"))).isEmpty();
  }
}
