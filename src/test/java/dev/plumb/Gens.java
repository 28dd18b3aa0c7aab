package dev.plumb;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Generators shared by the property tests (QuickTheories). They are wide on purpose: text over a
 * broad alphabet (ASCII, tabs, CR, non-ASCII letters, astral code points, line and byte-order
 * marks, NUL where a caller asks for it) and whole generated files (INI, modprobe.d, grub
 * defaults), so a property meets the inputs real hosts hold rather than a short list of samples.
 *
 * <p>Replaying a failure: QuickTheories ends its failure message with {@code Seed was N}. Run the
 * one test again with that seed, e.g. {@code mvn -o test -Dtest=TextDiffTest -DQT_SEED=N}
 * (surefire hands {@code -D} properties to the test JVM; QuickTheories reads {@code QT_SEED},
 * and {@code QT_EXAMPLES} to change the number of examples). Values are printed with
 * {@link #show(Object)}, so control characters are visible in the report.
 */
public final class Gens {
  private Gens() {}

  /** Valid code points outside ASCII: Latin-1 to the astral planes, skipping lone surrogates. */
  static final Gen<String> NON_ASCII = integers().between(0x80, 0x10FFFF)
      .map(cp -> cp >= 0xD800 && cp <= 0xDFFF ? cp + 0x800 : cp)
      .map(Character::toString);

  /** Characters that break naive parsers: every kind of line end, byte-order mark, NBSP, emoji. */
  static final Gen<String> AWKWARD = Generate.pick(List.of(
      "\t", "\r", "\u2028", "\u0085", "\uFEFF", "\u00a0", "é", "e\u0301", "ß", "漢", "😀", "\u000b", "\f"));

  static final Gen<String> PRINTABLE_ASCII = integers().between(' ', '~').map(Character::toString);

  /**
   * One character (as a string: astral ones are two chars) over the broad alphabet; newline when
   * {@code newlines}, NUL when {@code nul}.
   */
  public static Gen<String> wideChar(boolean newlines, boolean nul) {
    List<Pair<Integer, Gen<String>>> choices = new java.util.ArrayList<>(List.of(
        Pair.of(12, PRINTABLE_ASCII), Pair.of(2, AWKWARD), Pair.of(2, NON_ASCII)));
    if (newlines) {
      choices.add(Pair.of(2, Generate.constant("\n")));
    }
    if (nul) {
      choices.add(Pair.of(1, Generate.constant("\0")));
    }
    return Generate.frequency(choices);
  }

  /** Text of up to {@code max} characters over the broad alphabet (with newlines and NUL). */
  public static Gen<String> text(int max) {
    return joined(wideChar(true, true), 0, max, "");
  }

  /** Like {@link #text} but without NUL (file content that goes through a shell, a config value). */
  public static Gen<String> textNoNul(int max) {
    return joined(wideChar(true, false), 0, max, "");
  }

  /** One line (no \n) over the broad alphabet; may hold CR, tab, NUL-free. */
  public static Gen<String> lineText(int max) {
    return joined(wideChar(false, false), 0, max, "");
  }

  /**
   * A parameter value as a playbook may give it: one line over the broad alphabet, no CR or
   * NUL, no surrounding spaces (the modules refuse those with a message, tested apart).
   */
  public static Gen<String> paramValue(int max) {
    return lineText(max).map(s -> s.replace("\r", "").strip());
  }

  /** Every Java char, lone surrogates included (for encoders that must escape them). */
  public static Gen<String> anyChars(int max) {
    Gen<String> anyChar = integers().between(0, 0xFFFF).map(c -> String.valueOf((char) c.intValue()));
    return joined(anyChar.mix(wideChar(true, true), 50), 0, max, "");
  }

  /** Bytes of every value, up to {@code max} long, with runs of NUL, newline and high bytes. */
  public static Gen<byte[]> bytes(int max) {
    Gen<Byte> any = Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0);
    Gen<Byte> special = Generate.pick(List.of((byte) 0, (byte) '\n', (byte) '\r', (byte) 0xff, (byte) 0xc3));
    return Generate.byteArrays(integers().between(0, max), any.mix(special, 30));
  }

  /** {@code count} items of {@code item} joined by {@code sep}. */
  public static Gen<String> joined(Gen<String> item, int min, int max, String sep) {
    return lists().of(item).ofSizeBetween(min, max).map(l -> String.join(sep, l)).describedAs(Gens::show);
  }

  /** Lines joined by LF (mostly) or CRLF, with or without a final line end. */
  public static Gen<String> file(Gen<String> line, int maxLines) {
    Gen<List<String>> lines = lists().of(line).ofSizeBetween(0, maxLines);
    Gen<String> ending = Generate.pick(List.of("\n", "\n", "\n", "\r\n"));
    return lines.zip(ending, Generate.booleans(), (l, end, finalEnd) ->
        l.isEmpty() ? "" : String.join(end, l) + (finalEnd ? end : ""));
  }

  /** A generated file, or null for a missing one (about one in five). */
  public static Gen<String> fileOrMissing(Gen<String> file) {
    return Generate.frequency(Pair.of(4, file), Pair.of(1, Generate.constant((String) null)))
        .describedAs(Gens::show);
  }

  /** Spacing as people write it around '=' and at line starts. */
  static final Gen<String> SPACE = Generate.pick(List.of("", "", " ", "  ", "\t"));

  /** A name as it appears in config files: mostly short identifiers, sometimes wide text. */
  public static Gen<String> name(List<String> usual) {
    return Generate.pick(usual).mix(joined(Generate.pick(List.of("a", "k", "_", "-", ".", "1", "é")), 1, 6, ""), 25);
  }

  /**
   * An INI file as nova/neutron/systemd-style parsers meet it: section headers (some malformed),
   * options with any spacing, JSON-ish values, comments of both kinds, blank and junk lines.
   */
  public static Gen<String> iniFile(List<String> sections, List<String> keys) {
    Gen<String> section = name(sections);
    Gen<String> key = name(keys);
    Gen<String> value = Generate.pick(List.of("1", "2", "v w", "{\"a\": 1}", "[1, 2]", "", "true", "1.0"))
        .mix(lineText(12), 40);
    Gen<String> header = section.zip(SPACE, Generate.pick(List.of("[%s]", "[ %s ]", "[%s", "%s]")),
        (s, sp, form) -> sp + form.formatted(s));
    Gen<String> option = key.zip(SPACE, SPACE, value, (k, a, b, v) -> a + k + b + "=" + b + v);
    Gen<String> comment = Generate.pick(List.of("#", ";", " #", "# ")).zip(lineText(15), String::concat);
    Gen<String> line = Generate.frequency(List.of(
        Pair.of(2, header), Pair.of(6, option), Pair.of(2, comment), Pair.of(1, Generate.constant("")),
        Pair.of(1, lineText(20)), Pair.of(1, option.map(o -> o + "\r"))));
    return file(line, 14);
  }

  /** A modprobe.d / modules-load.d file: options, blacklist, install, alias lines and comments. */
  public static Gen<String> modprobeFile() {
    Gen<String> module = Generate.pick(List.of("vfio-pci", "vfio_pci", "nouveau", "nvidia", "nvidia-uvm", "vfio",
        "snd_hda_intel")).mix(joined(Generate.pick(List.of("a", "_", "-", "9")), 1, 6, ""), 20);
    Gen<String> line = Generate.frequency(List.of(
        Pair.of(3, module.zip(Generate.pick(List.of("ids=10de:1b80", "disable_vga=1", "ids=10de:1b80,10de:10f0", "")),
            (m, o) -> "options " + m + " " + o)),
        Pair.of(2, module.map(m -> "blacklist " + m)),
        Pair.of(1, module.map(m -> "install " + m + " /bin/false")),
        Pair.of(1, module.map(m -> "alias pci:v000010DEd* " + m)),
        Pair.of(3, module),
        Pair.of(2, Generate.pick(List.of("# ", "#", ";")).zip(lineText(20), String::concat)),
        Pair.of(1, Generate.constant("")),
        Pair.of(1, lineText(20))));
    return file(line, 8);
  }

  /**
   * An /etc/default/grub: assignments of both kernel command lines (quoted with either quote,
   * or bare), other GRUB_ settings, comments and blank lines; {@code cmdline} is the value
   * given to GRUB_CMDLINE_LINUX, which the file always sets once.
   */
  public static Gen<String> grubDefaults(Gen<String> otherCmdline, String cmdline) {
    Gen<String> other = Generate.pick(List.of(
        "GRUB_DEFAULT=0", "GRUB_TIMEOUT=5", "GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`",
        "#GRUB_TERMINAL=console", "# If you change this file, run 'update-grub' afterwards", "",
        "GRUB_DISABLE_OS_PROBER=true", "export GRUB_COLOR_NORMAL=\"light-blue/black\""));
    Gen<String> defaults = otherCmdline.zip(Generate.pick(List.of("\"", "'")), (c, q) -> "GRUB_CMDLINE_LINUX_DEFAULT=" + q + c + q);
    Gen<String> line = other.mix(defaults, 20).mix(Generate.pick(List.of("#", "# ")).zip(lineText(15), String::concat), 15);
    return lists().of(line).ofSizeBetween(0, 8).zip(integers().between(0, 8), Generate.booleans(), (l, at, crlf) -> {
      List<String> lines = new java.util.ArrayList<>(l);
      lines.add(Math.min(at, lines.size()), "GRUB_CMDLINE_LINUX=\"" + cmdline + "\"");
      return String.join("\n", lines) + "\n";
    });
  }

  /** Maps a value with a description that survives nulls and shows control characters. */
  public static <T, R> Gen<R> described(Gen<T> gen, Function<T, R> f) {
    return gen.map(f).describedAs(Gens::show);
  }

  /** A value as a Java literal: control characters and non-ASCII escaped, null as null. */
  public static String show(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Object[] a) {
      return Arrays.deepToString(Arrays.stream(a).map(Gens::show).toArray());
    }
    if (value instanceof byte[] b) {
      return "bytes" + Arrays.toString(b);
    }
    if (value instanceof List<?> l) {
      return l.stream().map(Gens::show).toList().toString();
    }
    if (value instanceof java.util.Map<?, ?> m) {
      return m.entrySet().stream().map(e -> show(e.getKey()) + ": " + show(e.getValue())).toList().toString()
          .replaceFirst("^\\[", "{").replaceFirst("]$", "}");
    }
    if (!(value instanceof String s)) {
      return String.valueOf(value);
    }
    StringBuilder out = new StringBuilder("\"");
    s.chars().forEach(c -> {
      if (c == '"' || c == '\\') {
        out.append('\\').append((char) c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c >= ' ' && c < 0x7f) {
        out.append((char) c);
      } else {
        out.append("\\u%04x".formatted(c));
      }
    });
    return out.append('"').toString();
  }
}
