package dev.plumb.modules;

import static dev.plumb.modules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.Fact;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageModuleTest {
  final PackageModule mod = new PackageModule();
  static final Fact Q = Fact.command(PackageModule.queryScript(List.of("dkms", "build-essential")));
  static final Fact Q1 = Fact.command(PackageModule.queryScript(List.of("nvidia-driver-535")));

  @Test
  void queryScript_asksDpkgOrRpm_namesQuoted() {
    assertThat(PackageModule.queryScript(List.of("a", "b c"))).isEqualTo(
        "if command -v dpkg-query >/dev/null 2>&1; then echo dpkg; dpkg-query -W -f='${Package} ${Version} ${db:Status-Abbrev}\\n' a 'b c'; "
            + "elif command -v rpm >/dev/null 2>&1; then echo rpm; rpm -q --qf '%{NAME} %{VERSION}-%{RELEASE}\\n' a 'b c'; "
            + "else echo none; fi");
    assertThat(mod.facts(params(mod, "name", List.of("dkms", "build-essential")))).containsExactly(Q);
  }

  @Test
  void dpkg_installsOnlyMissing() {
    Change c = mod.diff(params(mod, "name", List.of("dkms", "build-essential")),
        facts(Q, out(1, "dpkg\ndkms 3.0.11-1ubuntu13 ii \nbuild-essential  un \n")));
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(c.before()).isEqualTo("dkms 3.0.11-1ubuntu13, build-essential absent");
    assertThat(c.commands()).containsExactly(
        Command.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "build-essential"));
  }

  @Test
  void dpkg_allInstalled_none() {
    Change c = mod.diff(params(mod, "name", List.of("dkms", "build-essential")),
        facts(Q, out(0, "dpkg\ndkms 3.0.11 ii \nbuild-essential 12.10 ii \n")));
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.commands()).isEmpty();
  }

  @Test
  void dpkg_version_pinsWithEquals() {
    Params p = params(mod, "name", "nvidia-driver-535", "version", "535.183.01-0ubuntu1");
    Change c = mod.diff(p, facts(Q1, out(0, "dpkg\nnvidia-driver-535 535.161.07-0ubuntu1 ii \n")));
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(c.commands()).containsExactly(Command.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y",
        "nvidia-driver-535=535.183.01-0ubuntu1"));
    Params upstream = params(mod, "name", "nvidia-driver-535", "version", "535.183.01");
    assertThat(mod.diff(upstream, facts(Q1, out(0, "dpkg\nnvidia-driver-535 1:535.183.01-0ubuntu1 ii \n"))).action())
        .isEqualTo(Action.NONE);
  }

  @Test
  void rpm_missing_dnfInstallCreate() {
    Params p = params(mod, "name", "nvidia-driver-535", "version", "535.183.01");
    Change c = mod.diff(p, facts(Q1, out(1, "rpm\npackage nvidia-driver-535 is not installed\n")));
    assertThat(c.action()).isEqualTo(Action.CREATE);
    assertThat(c.commands()).containsExactly(Command.of("dnf", "install", "-y", "nvidia-driver-535-535.183.01"));
  }

  @Test
  void absent_removesInstalledOnly() {
    Change c = mod.diff(params(mod, "name", List.of("dkms", "build-essential"), "state", "absent"),
        facts(Q, out(0, "rpm\ndkms 3.0.11-1.el9\npackage build-essential is not installed\n")));
    assertThat(c.action()).isEqualTo(Action.DELETE);
    assertThat(c.commands()).containsExactly(Command.of("dnf", "remove", "-y", "dkms"));
    Change none = mod.diff(params(mod, "name", List.of("dkms", "build-essential"), "state", "absent"),
        facts(Q, out(1, "dpkg\ndkms 3.0 rc \n")));
    assertThat(none.action()).isEqualTo(Action.NONE);
  }

  @Test
  void noManager_blocker() {
    Change c = mod.diff(params(mod, "name", List.of("dkms", "build-essential")), facts(Q, out(0, "none\n")));
    assertThat(c.blockers()).containsExactly("no package manager found on this host: neither dpkg nor rpm is installed");
    assertThat(c.commands()).isEmpty();
  }

  @Test
  void validate_badCombinations() {
    assertThat(problems(mod, params(mod, "name", List.of("a", "b"), "version", "1"))).containsExactly("version with several packages");
    assertThat(problems(mod, params(mod, "name", "-y"))).containsExactly("'-y' is not a package name");
    assertThat(problems(mod, params(mod, "name", "a", "version", "1 2"))).containsExactly("'1 2' is not a package version");
    assertThat(problems(mod, params(mod, "name", "a", "version", "1", "state", "absent"))).hasSize(1);
    assertThat(problems(mod, params(mod, "name", "libc6:amd64"))).isEmpty();
    assertThat(mod.keyParam()).isEqualTo("name");
  }
}
