package dev.plumb.inventory;

import dev.plumb.source.Mark;
import dev.plumb.source.Problems;
import dev.plumb.source.Suggest;
import dev.plumb.source.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ansible's INI inventory: {@code host k=v}, {@code [group]}, {@code [group:vars]}, {@code
 * [group:children]}. Values stay text, like every scalar in plumb.
 */
final class IniInventory {
  private record Token(String text, int column) {}

  private final InventoryBuilder builder;
  private final Problems problems;
  private final Path dir;

  IniInventory(InventoryBuilder builder, Problems problems, Path dir) {
    this.builder = builder;
    this.problems = problems;
    this.dir = dir;
  }

  void read(String text, String label) {
    String group = InventoryBuilder.UNGROUPED;
    String kind = "hosts";
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String trimmed = line.strip();
      int indent = line.indexOf(trimmed.isEmpty() ? " " : trimmed.substring(0, 1));
      Mark mark = new Mark(label, i + 1, Math.max(indent, 0) + 1);
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
        continue;
      }
      if (trimmed.startsWith("[")) {
        if (!trimmed.endsWith("]")) {
          problems.error(mark, "section header '" + trimmed + "' is not closed", "write [group], [group:vars] or [group:children]");
          continue;
        }
        String header = trimmed.substring(1, trimmed.length() - 1).strip();
        int colon = header.indexOf(':');
        group = colon < 0 ? header : header.substring(0, colon);
        kind = colon < 0 ? "hosts" : header.substring(colon + 1);
        if (!List.of("hosts", "vars", "children").contains(kind)) {
          problems.error(mark, "unknown section kind ':" + kind + "' in [" + header + "]",
              Suggest.didYouMean(kind, List.of("vars", "children")) + "use [group], [group:vars] or [group:children]");
          kind = "skip";
        }
        builder.group(group, mark);
        continue;
      }
      switch (kind) {
        case "hosts" -> hostLine(group, line, mark, label, i + 1);
        case "vars" -> varLine(group, line, trimmed, mark, label, i + 1);
        case "children" -> builder.child(group, trimmed, mark);
        default -> { }
      }
    }
  }

  private void hostLine(String group, String line, Mark mark, String label, int lineNo) {
    List<Token> tokens = tokens(line, mark);
    String entry = tokens.get(0).text();
    java.util.Optional<List<String>> names = HostRange.expand(entry);
    if (names.isEmpty()) {
      problems.error(mark, "cannot read the host range '" + entry + "'",
          "write [1:4], [01:10], [a:c] or [0:10:2], with the start before the end");
      return;
    }
    Map<String, Value> vars = new LinkedHashMap<>();
    for (Token t : tokens.subList(1, tokens.size())) {
      Mark at = new Mark(label, lineNo, t.column());
      int eq = t.text().indexOf('=');
      if (eq <= 0) {
        problems.error(at, "expected key=value after the host name, got '" + t.text() + "'",
            "write variables as key=value; quote values that contain spaces");
        continue;
      }
      vars.put(t.text().substring(0, eq), new Value.Scalar(unquote(t.text().substring(eq + 1)), at));
    }
    for (String host : names.get()) {
      builder.host(group, host);
      builder.hostVars(host, vars, false, dir);
    }
  }

  private void varLine(String group, String line, String trimmed, Mark mark, String label, int lineNo) {
    int eq = trimmed.indexOf('=');
    if (eq <= 0) {
      problems.error(mark, "expected key=value in [" + group + ":vars], got '" + trimmed + "'", "write name=value");
      return;
    }
    String value = trimmed.substring(eq + 1).strip();
    int col = line.indexOf(value, line.indexOf('=')) + 1;
    builder.groupVars(group, Map.of(trimmed.substring(0, eq).strip(),
        new Value.Scalar(unquote(value), new Mark(label, lineNo, Math.max(col, 1)))), false, dir);
  }

  /** Whitespace-separated tokens; quotes group spaces; a # outside quotes starts a comment. */
  private static List<Token> tokens(String line, Mark mark) {
    List<Token> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int start = -1;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == 0 && c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        break;
      }
      if (quote == 0 && Character.isWhitespace(c)) {
        if (start >= 0) {
          out.add(new Token(cur.toString(), start + 1));
          cur.setLength(0);
          start = -1;
        }
        continue;
      }
      if (start < 0) {
        start = i;
      }
      if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      }
      cur.append(c);
    }
    if (start >= 0) {
      out.add(new Token(cur.toString(), start + 1));
    }
    return out;
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }
}
