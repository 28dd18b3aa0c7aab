package dev.plumb.modules.gpu;

import dev.plumb.text.TextLines;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and edits the shell-variable assignments of /etc/default/grub and grub.d/*.cfg. Only the
 * value inside the quotes of an edited assignment changes; every other byte is kept.
 */
final class GrubDefaults {
  private GrubDefaults() {}

  static final String LINUX = "GRUB_CMDLINE_LINUX";
  static final String LINUX_DEFAULT = "GRUB_CMDLINE_LINUX_DEFAULT";

  /** Compiled once per variable name (a few GRUB_* names): reading a file asked it once per line. */
  private static final java.util.Map<String, Pattern> ASSIGNMENTS = new java.util.concurrent.ConcurrentHashMap<>();

  private static Pattern assignment(String var) {
    return ASSIGNMENTS.computeIfAbsent(var, GrubDefaults::compileAssignment);
  }

  private static Pattern compileAssignment(String var) {
    return Pattern.compile("^(\\s*(?:export\\s+)?" + var + "=)(\"([^\"]*)\"|'([^']*)'|([^\\s#;]*))(.*)$");
  }

  /** The raw values assigned to {@code var}, in order. */
  static List<String> values(String text, String var) {
    List<String> out = new ArrayList<>();
    for (String line : TextLines.split(text)) {
      Matcher m = assignment(var).matcher(TextLines.strip(line));
      if (m.matches()) {
        out.add(rawValue(m));
      }
    }
    return out;
  }

  private static String rawValue(Matcher m) {
    return m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : m.group(5);
  }

  /** True when an assignment of {@code var} in this file refers to the variable's own old value. */
  static boolean onlyAppends(String text, String var) {
    List<String> v = values(text, var);
    return !v.isEmpty() && v.stream().allMatch(s -> s.contains("$" + var) || s.contains("${" + var + "}"));
  }

  /**
   * Rewrites every assignment of {@code var}: {@code edit} gets (is last assignment, tokens) and
   * returns the new tokens. A single-quoted or double-quoted value keeps its quotes; an unquoted
   * value gains double quotes when it needs them.
   */
  static String rewrite(String text, String var, BiFunction<Boolean, List<String>, List<String>> edit) {
    List<String> lines = TextLines.split(text);
    int last = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (assignment(var).matcher(TextLines.strip(lines.get(i))).matches()) {
        last = i;
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher m = assignment(var).matcher(TextLines.strip(line));
      if (m.matches()) {
        String eol = line.endsWith("\n") ? "\n" : "";
        List<String> before = CmdlineTokens.split(rawValue(m));
        List<String> after = edit.apply(i == last, before);
        if (!after.equals(before)) {
          line = m.group(1) + quoted(m, String.join(" ", after)) + m.group(6) + eol;
        }
      }
      out.append(line);
    }
    return out.toString();
  }

  private static String quoted(Matcher m, String value) {
    if (m.group(4) != null) {
      return "'" + value + "'";
    }
    return "\"" + value + "\"";
  }

  /** The text with {@code var="value"} appended (on its own line). */
  static String append(String text, String var, List<String> tokens) {
    String sep = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
    return text + sep + var + "=\"" + String.join(" ", tokens) + "\"\n";
  }

  /**
   * The variables after sourcing the files in order ({@code $VAR} and {@code ${VAR}} of the same
   * variable are expanded, as grub-mkconfig's shell would).
   */
  static Map<String, String> evaluate(List<String> texts) {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String var : List.of(LINUX, LINUX_DEFAULT)) {
      String value = "";
      for (String text : texts) {
        for (String raw : values(text, var)) {
          value = raw.replace("${" + var + "}", value).replace("$" + var, value);
        }
      }
      vars.put(var, value);
    }
    return vars;
  }
}
