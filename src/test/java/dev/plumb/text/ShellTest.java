package dev.plumb.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.plumb.Gens;
import dev.plumb.transport.ExecResult;
import dev.plumb.transport.LocalConnection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class ShellTest {

  /** Any NUL-free text, and the words that break naive quoting. */
  static Gen<String> words() {
    Gen<String> any = Gens.textNoNul(40);
    Gen<String> nasty = Generate.pick(List.of("", "'", "''", "\"", "$(reboot)", "`id`", "a b", "*", "~", "-n", "\n", "\\",
        "!x", "a'b\"c$d", "${IFS}", "\\'", "%s", "-", "--"));
    return Generate.oneOf(any, nasty, Gens.joined(nasty, 2, 4, "")).describedAs(Gens::show);
  }

  @Test
  void quote_anyString_survivesTheShell() {
    // printf %s prints its argument verbatim; the shell sees exactly one word.
    LocalConnection local = new LocalConnection("localhost");
    qt().withExamples(150).forAll(words()).checkAssert(word -> {
      ExecResult r = exec(local, "printf %s " + Shell.quote(word));
      assertThat(r.exitStatus()).isZero();
      assertThat(r.stdout()).isEqualTo(word.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    });
  }

  private static ExecResult exec(LocalConnection local, String command) {
    try {
      return local.exec(command, new byte[0], Duration.ofSeconds(10));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void quote_plainWords_stayReadable() {
    assertThat(Shell.join(List.of("update-grub"))).isEqualTo("update-grub");
    assertThat(Shell.join(List.of("modprobe", "-r", "nouveau"))).isEqualTo("modprobe -r nouveau");
    assertThat(Shell.quote("it's")).isEqualTo("'it'\\''s'");
    assertThat(Shell.quote("")).isEqualTo("''");
  }

  @Test
  void quote_nul_isRefused() {
    assertThatThrownBy(() -> Shell.quote("a\0b")).hasMessageContaining("NUL");
  }
}
