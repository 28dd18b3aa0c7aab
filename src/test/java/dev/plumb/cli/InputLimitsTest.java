package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, "input that crashes": each is an input error with file:line:col (or a clear message)
 * and exit 1, quickly; never a stack trace, an internal error, a hang or an out-of-memory.
 */
class InputLimitsTest {
  @TempDir Path dir;

  private Cli lint(String playbook, String... extra) throws Exception {
    Path p = Files.writeString(dir.resolve("play.yml"), playbook);
    String[] args = new String[extra.length + 2];
    args[0] = "lint";
    System.arraycopy(extra, 0, args, 1, extra.length);
    args[args.length - 1] = p.toString();
    return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Cli.run(args));
  }

  private static void assertInputError(Cli r, String... expected) {
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).as(r.toString()).contains(expected)
        .doesNotContain("Exception", "\tat ", "internal error");
  }

  @Test
  void flowNesting_deeperThanTheLimit_isAnErrorAtItsPlace() throws Exception {
    Cli r = lint("- hosts: localhost\n  vars:\n    x: " + "[".repeat(2000) + "]".repeat(2000) + "\n  resources: []\n");
    assertInputError(r, "play.yml:3:", "nested deeper than 100 levels");
  }

  @Test
  void blockNesting_deeperThanTheLimit_isAnError() throws Exception {
    Cli r = lint("- hosts: localhost\n  vars:\n    x:\n      " + "- ".repeat(3000) + "a\n");
    assertInputError(r, "play.yml:4:", "nested deeper than 100 levels");
  }

  @Test
  void nestingWithinTheLimit_andBracketsInText_areFine() throws Exception {
    Cli r = lint("- hosts: localhost\n  vars:\n    x: " + "[".repeat(40) + "]".repeat(40)
        + "\n    y: a[b[c[d\n    z: |\n      " + "[".repeat(500) + "\n  resources: []\n");
    assertThat(r.exit()).as(r.toString()).isZero();
  }

  @Test
  void variableBomb_isAnErrorNamingTheSizeLimit() throws Exception {
    StringBuilder vars = new StringBuilder("    v0: \"xxxxxxxxxx\"\n");
    for (int i = 1; i < 10; i++) {
      vars.append("    v").append(i).append(": \"").append(("{{ v" + (i - 1) + " }}").repeat(10)).append("\"\n");
    }
    Cli r = lint("- hosts: localhost\n  vars:\n" + vars + "  resources:\n"
        + "    - file: {path: /tmp/bomb, content: \"{{ v9 }}\"}\n");
    assertInputError(r, "play.yml:", "expands to more than 1048576 characters");
  }

  @Test
  void aliasBomb_bigAnchoredScalarUsedThousandsOfTimes_isAnError() throws Exception {
    String big = "x".repeat(1_000_000);
    Cli r = lint("- hosts: localhost\n  vars:\n    a: &a " + big + "\n    b: [" + "*a, ".repeat(3000) + "*a]\n");
    assertInputError(r, "play.yml:", "characters of text through aliases");
  }

  @Test
  void hugeVersions_areNotVersions() throws Exception {
    for (String version : new String[] {"12345678901234567890123456789", "1" + ".1".repeat(100_000)}) {
      Cli r = lint("- hosts: localhost\n  resources:\n    - nvidia_driver:\n        version: \"" + version
          + "\"\n        installer: /opt/x.run\n        sha256: " + "a".repeat(64) + "\n");
      assertInputError(r, "play.yml:4:", "is not a dotted numeric version");
    }
  }

  @Test
  void notifyCycleBetweenHandlers_isALintError() throws Exception {
    Cli r = lint("""
        - hosts: localhost
          resources:
            - file: {path: /tmp/a, content: "a"}
              notify: h1
          handlers:
            - command: {argv: [/bin/true]}
              name: h1
              notify: h2
            - command: {argv: [/bin/true]}
              name: h2
              notify: h1
        """);
    assertInputError(r, "play.yml:", "dependency cycle: command[h1] -> command[h2] -> command[h1]");
  }

  @Test
  void kernelModuleNamedLikeAnOption_isRefused() throws Exception {
    Cli r = lint("- hosts: localhost\n  resources:\n    - kernel_module: {name: \"-r\"}\n      name: m\n");
    assertInputError(r, "play.yml:3:", "'-r' is not a kernel module name");
  }

  @Test
  void extraVarsAtFile_isAVarsFile_notAnArgumentFile() throws Exception {
    Path vars = Files.writeString(dir.resolve("vars.yml"), "greeting: hello\n");
    Cli ok = lint("- hosts: localhost\n  resources:\n    - file: {path: /tmp/g, content: \"{{ greeting }}\"}\n",
        "-e", "@" + vars);
    assertThat(ok.exit()).as(ok.toString()).isZero();
    assertInputError(lint("- hosts: localhost\n  resources: []\n", "-e", "@/etc"), "is a directory");
    assertInputError(lint("- hosts: localhost\n  resources: []\n", "-e", "@/dev/zero"), "not a regular file");
    assertInputError(lint("- hosts: localhost\n  resources: []\n", "-e", "@" + dir.resolve("missing.yml")),
        "file not found");
  }
}
