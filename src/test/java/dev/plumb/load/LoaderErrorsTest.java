package dev.plumb.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.source.Problem;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderErrorsTest {
  @TempDir Path dir;

  Fixture f() {
    return new Fixture(dir);
  }

  @Test
  void unknownType_saysWhereAndSuggests() {
    String e = f().write("play.yml", """
        - hosts: all
          resources:
            - file: {path: /etc/a}
            - fiel: {path: /etc/b}
        """).errors();
    assertThat(e).contains("play.yml:4:7: error: unknown resource type 'fiel'", "did you mean 'file'?");
  }

  @Test
  void unknownPlayKey_andUnknownResourceKey_suggest() {
    String e = f().write("play.yml", """
        - hosts: all
          resourcse: []
        - hosts: all
          resources:
            - file: {path: /etc/a}
              nmae: x
        """).errors();
    assertThat(e)
        .contains("play.yml:2:3: error: unknown key 'resourcse' in a play", "did you mean 'resources'?")
        .contains("play.yml:6:7: error: unknown key 'nmae' in a resource", "did you mean 'name'?");
  }

  @Test
  void missingRequired_unknownParam_wrongTypes() {
    String e = f().write("play.yml", """
        - hosts: all
          resources:
            - file: {contnet: x}
            - command: {argv: echo}
            - file: {path: /a, backup: maybe, size: big}
            - packages: {names: [a, [b]]}
        """).errors();
    assertThat(e)
        .contains("play.yml:3:7: error: missing required parameter 'path' for file", "add 'path: …' (absolute path)")
        .contains("play.yml:3:14: error: unknown parameter 'contnet' for file", "did you mean 'content'?")
        .contains("play.yml:4:23: error: parameter 'argv' of command: expected a list, got a string ('echo')",
            "write a list: [a, b]")
        .contains("play.yml:5:32: error: parameter 'backup' of file: expected true or false, got a string ('maybe')")
        .contains("play.yml:5:45: error: parameter 'size' of file: expected a whole number, got a string ('big')")
        .contains("play.yml:6:29: error: parameter 'names' of packages: expected a list of strings, this item is a list");
  }

  @Test
  void stringsAcceptsAStringAndBoolAcceptsYesNo() {
    Catalog c = f().write("play.yml", """
        - hosts: all
          resources:
            - packages: {names: nvidia-driver}
            - file: {path: /a, backup: yes}
            - file: {path: /b, backup: 'off', size: '12'}
        """).load();
    assertThat(c.hosts().get(0).resources()).extracting(Resource::id)
        .containsExactly("packages[nvidia-driver]", "file[/a]", "file[/b]");
    assertThat(c.hosts().get(0).resources().get(0).params().strings("names")).containsExactly("nvidia-driver");
  }

  @Test
  void threeMistakes_allReported_sorted() {
    String e = f().write("play.yml", """
        - hosts: all
          resources:
            - fiel: {path: /a}
            - service: {name: sshd, enabeld: true}
            # the third: a requires to a resource that does not exist
            - file: {path: /b}
              requires: file[/c]
        """).errors();
    int a = e.indexOf("play.yml:3:7: error: unknown resource type 'fiel'");
    int b = e.indexOf("play.yml:4:29: error: unknown parameter 'enabeld' for service");
    int c = e.indexOf("play.yml:7:17: error: requires 'file[/c]': no resource with this id or name on this host");
    assertThat(a).isNotNegative();
    assertThat(b).isGreaterThan(a);
    assertThat(c).isGreaterThan(b);
  }

  @Test
  void yamlSyntaxError_usesParserMark() {
    String e = f().write("play.yml", """
        - hosts: all
          resources:
            - file: {path: /a
            - file: {path: /b}
        """).errors();
    assertThat(e).containsPattern("play\\.yml:4:\\d+: error: YAML syntax error: ");
  }

  @Test
  void idWithBracketsInAFlowList_getsAQuotingHint() {
    String e = f().write("play.yml", """
        - hosts: all
          resources:
            - file: {path: /a}
              requires: [file[/b]]
        """).errors();
    assertThat(e).contains("play.yml:4:22: error: YAML syntax error:", "quote items that contain [ ] { } or ,");
  }

  @Test
  void duplicateKey_namesBothMarks() {
    String e = f().write("play.yml", """
        - hosts: all
          resources:
            - file: {path: /a, path: /b}
        """).errors();
    assertThat(e).contains("play.yml:3:24: error: duplicate key 'path' (first at ", "play.yml:3:14)");
  }

  @Test
  void nonStringKey_isRejected() {
    String e = f().write("play.yml", """
        - hosts: all
          resources:
            - file: {? [a, b] : x, path: /a}
        """).errors();
    assertThat(e).contains("play.yml:3:16: error: a key must be a string, this key is a list");
  }

  @Test
  void billionLaughs_isACleanError() {
    StringBuilder y = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      y.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        y.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      y.append("]\n");
    }
    String e = f().write("play.yml", y.toString()).errors();
    assertThat(e).contains("play.yml", "error: YAML rejected:", "aliases");
  }

  @Test
  void nestedAliasesUnderTheAliasLimit_stillCannotExplode() {
    // 2 aliases per level, 24 levels: 48 aliases (under the limit), 2^24 values when expanded.
    StringBuilder y = new StringBuilder("- &a0 [x, x]\n");
    for (int i = 1; i < 25; i++) {
      y.append("- &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
    }
    String e = f().write("play.yml", y.toString()).errors();
    assertThat(e).contains("expands to more than 200000 values through aliases");
  }

  @Test
  void duplicateIds_onAHost_bothMarks() {
    String e = f().write("play.yml", """
        - hosts: all
          resources:
            - file: {path: /a}
        - hosts: localhost
          resources:
            - file: {path: /a, content: x}
        """).errors();
    assertThat(e).contains("play.yml:6:7: error: duplicate resource id 'file[/a]' (first declared at ",
        "play.yml:3:7)");
  }

  @Test
  void moduleWithoutKeyParam_needsAName() {
    String e = f().write("play.yml", """
        - hosts: all
          resources:
            - command: {argv: [true]}
        """).errors();
    assertThat(e).contains("play.yml:3:7: error: give this resource a name", "add 'name: …' beside 'command:'");
  }

  @Test
  void unknownNotify_andNotifyToAResource() {
    String e = f().write("play.yml", """
        - hosts: all
          resources:
            - file: {path: /a}
              notify: restart-sshd
            - file: {path: /b}
              notify: file[/a]
          handlers:
            - service: {name: sshd, state: restarted}
              name: restart-ssh
        """).errors();
    assertThat(e)
        .contains("play.yml:4:15: error: unknown handler 'restart-sshd' in notify", "did you mean 'restart-ssh'?")
        .contains("play.yml:6:15: error: notify 'file[/a]': file[/a] is a resource, not a handler");
  }

  @Test
  void requiresCycle_printsTheCycleWithMarks() {
    String e = f().write("play.yml", """
        - hosts: all
          resources:
            - file: {path: /a}
              requires: file[/c]
            - file: {path: /b}
              requires: ['file[/a]']
            - file: {path: /c}
              requires: b
              name: c
        """).errors();
    // /c has a name, so its id is file[c]; the cycle goes through the name.
    assertThat(e).contains("requires 'file[/c]'");
    String cyc = f().write("play.yml", """
        - hosts: all
          resources:
            - file: {path: /a}
              requires: file[/c]
            - file: {path: /b}
              requires: ['file[/a]']
            - file: {path: /c}
              requires: file[/b]
        """).errors();
    assertThat(cyc).contains("play.yml:3:7: error: dependency cycle: file[/a] -> file[/c] -> file[/b] -> file[/a]",
        "fix: remove one of these requires or notify: file[/a] at ", "play.yml:3:7, file[/c] at ", "play.yml:7:7");
    assertThat(cyc.split("dependency cycle").length).isEqualTo(2);
  }

  @Test
  void undefinedVariable_namesItAndWhereUsed() {
    String e = f().write("play.yml", """
        - hosts: all
          vars: {gpu_ids: "10de:1b80"}
          resources:
            - file: {path: /etc/modprobe.d/vfio.conf, content: "options vfio-pci ids={{ gpu_idz }}"}
        """).errors();
    assertThat(e).contains("play.yml:4:56: error: undefined variable 'gpu_idz' in \"options vfio-pci ids={{ gpu_idz }}\"",
        "did you mean 'gpu_ids'?");
  }

  @Test
  void variableCycle_isReported() {
    String e = f().write("play.yml", """
        - hosts: all
          vars: {a: "{{ b }}", b: "x{{ a }}"}
          resources:
            - file: {path: "{{ a }}"}
        """).errors();
    assertThat(e).contains("error: variable cycle: a -> b -> a");
  }

  @Test
  void listInsideText_isAnError() {
    String e = f().write("play.yml", """
        - hosts: all
          vars: {ids: [a, b]}
          resources:
            - file: {path: /a, content: "ids={{ ids }}"}
        """).errors();
    assertThat(e).contains("play.yml:4:33: error: '{{ ids }}' is a list and cannot be put inside text");
  }

  @Test
  void unsupportedFilter_saysWhatIsSupported() {
    String e = f().write("play.yml", """
        - hosts: all
          resources:
            - file: {path: "{{ x | upper }}"}
        """).errors();
    assertThat(e).contains("play.yml:3:20: error: unsupported filter 'upper'", "default(value)");
  }

  @Test
  void playWithoutHosts_andPatternMatchingNothingWarns() {
    String e = f().write("play.yml", """
        - resources: []
        """).errors();
    assertThat(e).contains("play.yml:1:3: error: a play needs 'hosts:'");
    Catalog c = f().write("play.yml", """
        - hosts: gpus
          resources:
            - file: {path: /a}
        """).load();
    assertThat(c.hosts()).isEmpty();
    assertThat(c.warnings()).extracting(Problem::render).anySatisfy(w -> assertThat(w)
        .contains("play.yml:1:10: warning: hosts pattern 'gpus' matches no host"));
  }

  @Test
  void moduleValidate_andHostLints_run() {
    String e = f().write("play.yml", """
        - hosts: all
          resources:
            - file: {path: /a, mode: "999"}
            - service: {name: sshd}
            - service: {name: nova, state: stopped}
        """).errors();
    assertThat(e).contains("play.yml:3:30: error: mode '999' is not octal")
        .contains("play.yml:4:16: error: a service is stopped while sshd is managed");
  }

  @Test
  void badExtraVar_andLimitMatchingNothing() {
    Fixture fx = f().write("play.yml", "- hosts: all\n  resources: []\n");
    fx.extra.add("novalue");
    fx.limit = "gpu*";
    String e = fx.errors();
    assertThat(e).contains("-e novalue: error: expected key=value", "--limit gpu*: error: the limit matches no host");
  }

  @Test
  void badTimeout() {
    String e = f().write("play.yml", """
        - hosts: all
          resources:
            - file: {path: /a}
              timeout: soon
        """).errors();
    assertThat(e).contains("play.yml:4:16: error: timeout must be a number of seconds or a duration like 90s");
  }

  @Test
  void badRebootTimeoutVar_isAnInputErrorAtTheVariable() {
    String e = f().write("play.yml", "- hosts: all\n  resources: []\n")
        .inventory("hosts.yml", """
            all:
              hosts:
                h1:
                  plumb_reboot_timeout: soon
                h2:
                  plumb_reboot_timeout: 0
                h3:
                  plumb_reboot_timeout: 20m
            """).errors();
    assertThat(e)
        .contains("hosts.yml:4:29: error: plumb_reboot_timeout must be a duration like 600, 90s, 15m or 1h, got a string ('soon')")
        .contains("hosts.yml:6:29: error: plumb_reboot_timeout must be a duration")
        .doesNotContain("hosts.yml:8:");
  }

  @Test
  void rebootTimeoutVar_isTheHostsRebootTimeout() {
    Catalog c = f().write("play.yml", "- hosts: all\n  resources: []\n")
        .inventory("hosts.yml", "all:\n  hosts:\n    h1:\n      plumb_reboot_timeout: 20m\n    h2: {}\n").load();
    assertThat(c.hosts()).extracting(h -> RebootTimeout.of(h.host()))
        .containsExactly(java.util.Optional.of(java.time.Duration.ofMinutes(20)), java.util.Optional.empty());
  }

  @Test
  void closedSetValue_outsideTheSet_isReportedOnceWithDidYouMean() {
    var registry = dev.plumb.cli.Builtins.registry();
    java.util.function.BiFunction<String, java.util.Map<String, Object>, java.util.List<String>> check = (type, plain) -> {
      var module = registry.find(type).orElseThrow();
      var problems = new dev.plumb.source.Problems();
      var params = (dev.plumb.source.Value.Map) dev.plumb.source.Value.fromPlain(plain, new dev.plumb.source.Mark("play.yml", 3, 7));
      ParamCheck.check(module, params, params.mark(), problems);
      module.validate(new dev.plumb.modules.Params(params, module.params()), problems);
      return problems.all().stream().map(Problem::render).toList();
    };
    assertThat(check.apply("file", java.util.Map.of("path", "/etc/a", "state", "presnt"))).singleElement().asString()
        .contains("error: parameter 'state' of file: 'presnt' is not one of present, absent",
            "fix: did you mean 'present'? use one of present, absent");
    assertThat(check.apply("service", java.util.Map.of("name", "nova-compute", "state", "running"))).singleElement().asString()
        .contains("'running' is not one of started, stopped, restarted");
    assertThat(check.apply("kernel_module", java.util.Map.of("name", "vfio", "state", "loaded"))).isEmpty();
  }
}
