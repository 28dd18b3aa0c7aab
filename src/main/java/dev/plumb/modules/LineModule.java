package dev.plumb.modules;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.source.Problems;
import dev.plumb.text.TextLines;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code line}: one line of a file, like Ansible's lineinfile. The last line that matches is
 * replaced, or the line is inserted; every other line stays byte for byte, and so does whether the
 * file ends with a newline.
 *
 * <p>The key parameter is {@code line}: two resources for the same file are told apart by the line
 * they manage. A resource without {@code line} (state absent by regexp or key) needs a name.
 */
public final class LineModule implements Module {

  private static final ModuleSpec SPEC = ModuleSpec.of("line",
      "One line of a file: replace the last matching line or insert it, keeping every other line.", "line",
      Param.required("path", Param.Type.STRING, "Absolute path of the file; created with the line when missing."),
      Param.optional("line", Param.Type.STRING, null, "The line, without newline. Required with state present."),
      Param.optional("regexp", Param.Type.STRING, null,
          "Java regex (found anywhere in a line) selecting the line to replace or remove; the line itself must"
              + " match it. Not with key."),
      Param.optional("key", Param.Type.STRING, null,
          "Shorthand for a line that starts with KEY= (e.g. GRUB_CMDLINE_LINUX). Not with regexp."),
      Param.optional("insert_after", Param.Type.STRING, null,
          "Java regex: when no line matches, insert after the last line matching this (default: end of file)."),
      Param.oneOf("state", "present",
          "present, or absent: remove every matching line (by regexp, key, or the exact line).", "present", "absent"));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public void validate(Params params, Problems problems) {
    ParamChecks.absolutePath(params, "path", problems);
    if (!ParamChecks.presentOrAbsent(params, problems)) {
      return;
    }
    String state = params.string("state");
    if (params.has("regexp") && params.has("key")) {
      problems.error(params.mark("key"), "regexp and key are both given", "keep one of them");
    }
    Pattern regexp = compile(params, "regexp", problems);
    compile(params, "insert_after", problems);
    String line = params.optional("line").orElse(null);
    if (line != null && (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0)) {
      problems.error(params.mark("line"), "line contains a line break", "manage each line with its own resource");
      return;
    }
    params.optional("key").filter(k -> k.isEmpty() || k.contains("=") || k.contains("\n")).ifPresent(k ->
        problems.error(params.mark("key"), "key '" + k + "' is not a variable name", "write the name before '=', e.g. GRUB_CMDLINE_LINUX"));
    if (state.equals("present")) {
      if (line == null) {
        problems.error(params.mark(), "line is required with state present", "add line: the full line to have in the file");
        return;
      }
      if (regexp != null && !regexp.matcher(line).find()) {
        problems.error(params.mark("regexp"), "the line does not match regexp, so every run would change the file again",
            "make regexp match the new line as well as the old one");
      }
      params.optional("key").filter(k -> !line.startsWith(k + "=")).ifPresent(k ->
          problems.error(params.mark("line"), "the line does not start with " + k + "=", "write line as " + k + "=VALUE"));
    } else if (line == null && !params.has("regexp") && !params.has("key")) {
      problems.error(params.mark(), "state absent needs line, regexp or key", "say which lines to remove");
    }
  }

  private static Pattern compile(Params params, String name, Problems problems) {
    String re = params.optional(name).orElse(null);
    if (re == null) {
      return null;
    }
    try {
      return Pattern.compile(re);
    } catch (PatternSyntaxException e) {
      problems.error(params.mark(name), name + " is not a valid regular expression: " + e.getDescription()
          + " near index " + e.getIndex(), "fix the pattern (Java regex syntax)");
      return null;
    }
  }

  @Override
  public List<Fact> facts(Params params) {
    return List.of(Fact.file(params.string("path")));
  }

  @Override
  public Set<String> writes(Params params) {
    return Set.of(params.string("path"));
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    String path = params.string("path");
    FactResult current = facts.get(Fact.file(path));
    boolean present = params.string("state").equals("present");
    String line = params.optional("line").orElse(null);
    if (current instanceof FactResult.Missing) {
      return present ? FileChange.write(path, current, line + "\n", null) : Change.none("absent");
    }
    if (!(current instanceof FactResult.Content c)) {
      return FileChange.unreadable(path, present ? "has the line" : "without the line");
    }
    List<String[]> lines = TextLines.withEnds(c.text());
    Predicate<String> matches = matcher(params);
    List<String[]> out = present ? place(lines, line, matches, params) : removeAll(lines, matches);
    if (out == null) {
      return Change.none(present ? "has the line" : "without the line");
    }
    return FileChange.write(path, current, join(out), null);
  }

  /** The host's line where it differs: the last line the regexp or key selects (an exact line cannot be told apart). */
  @Override
  public List<HostValue> hostValues(Params params, FactSet facts) {
    if (!params.string("state").equals("present") || !(params.has("regexp") || params.has("key"))
        || !(facts.get(Fact.file(params.string("path"))) instanceof FactResult.Content c)) {
      return List.of();
    }
    List<String[]> lines = TextLines.withEnds(c.text());
    int last = lastIndex(lines, matcher(params));
    String line = params.optional("line").orElse(null);
    if (last < 0 || lines.get(last)[0].equals(line)) {
      return List.of();
    }
    return List.of(HostValue.whole("line", lines.get(last)[0]));
  }

  /** The lines with {@code line} in place; null when it already is. */
  private static List<String[]> place(List<String[]> lines, String line, Predicate<String> matches, Params params) {
    int last = lastIndex(lines, matches);
    if (last < 0) {
      last = lastIndex(lines, line::equals);
    }
    List<String[]> out = new ArrayList<>(lines);
    if (last >= 0) {
      if (lines.get(last)[0].equals(line)) {
        return null;
      }
      out.set(last, new String[] {line, lines.get(last)[1]});
      return out;
    }
    int after = params.optional("insert_after").map(re -> lastIndex(lines, s -> Pattern.compile(re).matcher(s).find()))
        .orElse(-1);
    int at = after >= 0 ? after + 1 : lines.size();
    if (at == lines.size() && !lines.isEmpty() && lines.get(at - 1)[1].isEmpty()) {
      // The file ends without a newline: the old last line gets one, the new last line goes without
      // (an empty line cannot: without its newline it would not be there, and every run would add it).
      out.set(at - 1, new String[] {lines.get(at - 1)[0], "\n"});
      out.add(new String[] {line, line.isEmpty() ? "\n" : ""});
    } else {
      out.add(at, new String[] {line, "\n"});
    }
    return out;
  }

  private static List<String[]> removeAll(List<String[]> lines, Predicate<String> matches) {
    List<String[]> out = lines.stream().filter(l -> !matches.test(l[0])).toList();
    return out.size() == lines.size() ? null : out;
  }

  private static Predicate<String> matcher(Params params) {
    if (params.has("regexp")) {
      Pattern p = Pattern.compile(params.string("regexp"));
      return s -> p.matcher(s).find();
    }
    if (params.has("key")) {
      String prefix = params.string("key") + "=";
      return s -> s.startsWith(prefix);
    }
    String line = params.string("line");
    return line::equals;
  }

  private static int lastIndex(List<String[]> lines, Predicate<String> p) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (p.test(lines.get(i)[0])) {
        return i;
      }
    }
    return -1;
  }

  static String join(List<String[]> lines) {
    StringBuilder s = new StringBuilder();
    lines.forEach(l -> s.append(l[0]).append(l[1]));
    return s.toString();
  }
}
