package dev.plumb.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ShellTest {

  @Provide
  Arbitrary<String> words() {
    Arbitrary<String> any = Arbitraries.strings().all().excludeChars('\0').ofMaxLength(40);
    Arbitrary<String> nasty = Arbitraries.of("", "'", "''", "\"", "$(reboot)", "`id`", "a b", "*", "~", "-n", "\n", "\\", "!x", "a'b\"c$d");
    return Arbitraries.oneOf(any, nasty);
  }

  @Property(tries = 150)
  void quote_anyString_survivesTheShell(@ForAll("words") String word) throws Exception {
    // printf %s prints its argument verbatim; the shell sees exactly one word.
    ExecResult r = new LocalConnection("localhost").exec("printf %s " + Shell.quote(word), new byte[0], Duration.ofSeconds(10));
    assertThat(r.exitStatus()).isZero();
    assertThat(r.stdout()).isEqualTo(word.getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
