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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's INI inventory, read as ansible-core's ini plugin reads it: {@code host k=v} lines
 * split like a POSIX shell (quotes removed, {@code #} starts a comment), {@code [group]}, {@code
 * [group:vars]}, {@code [group:children]} (a child group must get a section of its own), and every
 * value, host-line or {@code :vars}, passed through Python's literal_eval.
 */
final class IniInventory {
  private static final Pattern SECTION = Pattern.compile("^\\[([^:\\]\\s]+)(?::(\\w+))?\\]\\s*(?:#.*)?$");
  private static final Pattern GROUP_NAME = Pattern.compile("^([^:\\]\\s]+)\\s*(?:#.*)?$");

  private record Token(String text, int column) {}

  /** A group named in a :children or :vars section before it was defined. */
  private static final class Pending {
    final String state;
    final Mark mark;
    final List<String> parents = new ArrayList<>();

    Pending(String state, Mark mark) {
      this.state = state;
      this.mark = mark;
    }
  }

  private final InventoryBuilder builder;
  private final Problems problems;
  private final Path dir;
  private final Map<String, Pending> pending = new LinkedHashMap<>();

  IniInventory(InventoryBuilder builder, Problems problems, Path dir) {
    this.builder = builder;
    this.problems = problems;
    this.dir = dir;
  }

  void read(String text, String label) {
    String group = InventoryBuilder.UNGROUPED;
    String kind = "hosts";
    String[] lines = text.split("\r\n|\r|\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String trimmed = line.strip();
      int indent = trimmed.isEmpty() ? 0 : line.indexOf(trimmed.charAt(0));
      Mark mark = new Mark(label, i + 1, indent + 1);
      if (trimmed.isEmpty() || trimmed.charAt(0) == '#' || trimmed.charAt(0) == ';') {
        continue;
      }
      Matcher section = SECTION.matcher(trimmed);
      if (section.matches()) {
        group = section.group(1);
        kind = section.group(2) == null ? "hosts" : section.group(2);
        if (!List.of("hosts", "vars", "children").contains(kind)) {
          problems.error(mark, "unknown section kind ':" + kind + "' in [" + group + ":" + kind + "]",
              Suggest.didYouMean(kind, List.of("vars", "children")) + "use [group], [group:vars] or [group:children]");
          kind = "skip";
          continue;
        }
        if (!builder.hasGroup(group)) {
          if (kind.equals("vars") && !pending.containsKey(group)) {
            pending.put(group, new Pending("vars", mark));
          }
          builder.group(group, mark);
        }
        Pending p = pending.get(group);
        if (p != null && !kind.equals("vars")) {
          if (p.state.equals("children")) {
            addPendingChildren(group);
          } else {
            pending.remove(group);
          }
        }
        continue;
      }
      if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
        problems.error(mark, "invalid section header '" + trimmed + "'",
            "write [group], [group:vars] or [group:children], with no spaces inside the brackets");
        kind = "skip";
        continue;
      }
      switch (kind) {
        case "hosts" -> hostLine(group, line, mark, label, i + 1);
        case "vars" -> varLine(group, line, trimmed, mark, label, i + 1);
        case "children" -> childLine(group, trimmed, mark);
        default -> { }
      }
    }
    pending.forEach((name, p) -> problems.error(p.mark, p.state.equals("vars")
        ? "[" + name + ":vars] is for a group that is not defined anywhere"
        : "[" + p.parents.get(p.parents.size() - 1) + ":children] names group '" + name + "', which has no section",
        "add a [" + name + "] section (it may be empty), or remove the name"));
  }

  private void addPendingChildren(String group) {
    Pending p = pending.remove(group);
    for (String parent : p.parents) {
      builder.child(parent, group, p.mark);
      Pending up = pending.get(parent);
      if (up != null && up.state.equals("children")) {
        addPendingChildren(parent);
      }
    }
  }

  private void childLine(String group, String trimmed, Mark mark) {
    Matcher m = GROUP_NAME.matcher(trimmed);
    if (!m.matches()) {
      problems.error(mark, "expected a group name in [" + group + ":children], got '" + trimmed + "'",
          "write one group name per line");
      return;
    }
    String child = m.group(1);
    if (builder.hasGroup(child)) {
      builder.child(group, child, mark);
    } else {
      pending.computeIfAbsent(child, c -> new Pending("children", mark)).parents.add(group);
    }
  }

  private void hostLine(String group, String line, Mark mark, String label, int lineNo) {
    List<Token> tokens;
    try {
      tokens = ShellWords.split(line).stream().map(w -> new Token(w.text(), w.column())).toList();
    } catch (IllegalArgumentException e) {
      problems.error(mark, "cannot split this host line: " + e.getMessage(), "close the quote, or escape it with \\");
      return;
    }
    if (tokens.isEmpty()) {
      return; // only a comment
    }
    String entry = tokens.get(0).text();
    java.util.Optional<HostRange.Entry> names = HostRange.entry(entry);
    if (names.isEmpty()) {
      problems.error(mark, "cannot read the host range '" + entry + "'",
          "write [1:4], [01:10], [a:c] or [0:10:2], with the start before the end");
      return;
    }
    if (names.get().names().isEmpty()) {
      problems.warning(mark, "the host range '" + entry + "' stands for no host", "write the start before the end");
    }
    if (entry.strip().endsWith(":") && names.get().port() == null) {
      problems.error(mark, "host '" + entry + "' ends in ':' with no port", "write host:port, or remove the ':'");
      return;
    }
    Map<String, InventoryBuilder.Var> vars = new LinkedHashMap<>();
    for (Token t : tokens.subList(1, tokens.size())) {
      Mark at = new Mark(label, lineNo, t.column());
      int eq = t.text().indexOf('=');
      if (eq < 0) {
        problems.error(at, "expected key=value after the host name, got '" + t.text() + "'",
            "write variables as key=value; quote values that contain spaces");
        continue;
      }
      vars.put(t.text().substring(0, eq), var(t.text().substring(eq + 1), at));
    }
    for (String host : names.get().names()) {
      if (!HostName.check(host, mark, problems)) {
        continue;
      }
      builder.host(group, host, names.get().port(), mark);
      vars.forEach((k, v) -> builder.hostVar(host, k, v, dir));
    }
  }

  private void varLine(String group, String line, String trimmed, Mark mark, String label, int lineNo) {
    int eq = trimmed.indexOf('=');
    if (eq < 0) {
      problems.error(mark, "expected key=value in [" + group + ":vars], got '" + trimmed + "'", "write name=value");
      return;
    }
    String value = trimmed.substring(eq + 1).strip();
    int col = value.isEmpty() ? line.indexOf('=') + 2 : line.indexOf(value, line.indexOf('=')) + 1;
    builder.groupVar(group, trimmed.substring(0, eq).strip(), var(value, new Mark(label, lineNo, Math.max(col, 1))),
        dir, problems);
  }

  /** The value Ansible makes of INI text (literal_eval), and its text for plumb. */
  static InventoryBuilder.Var var(String text, Mark mark) {
    Object typed = PyLiteral.iniValue(text);
    Value value;
    if (typed == null) {
      value = new Value.Null(mark);
    } else if (typed instanceof List || typed instanceof Map) {
      value = Value.fromPlain(typed, mark);
    } else {
      value = new Value.Scalar(pyStr(typed), mark);
    }
    return new InventoryBuilder.Var(value, typed);
  }

  /** Python's str() of a literal: what a template makes of the value. */
  static String pyStr(Object v) {
    if (v instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (v instanceof Double d) {
      return PyJson.floatRepr(d).replace("Infinity", "inf").replace("NaN", "nan");
    }
    return String.valueOf(v);
  }
}
