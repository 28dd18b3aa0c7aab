package dev.plumb.load;

import dev.plumb.inventory.Yaml;
import dev.plumb.source.Mark;
import dev.plumb.source.Problems;
import dev.plumb.source.Value;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code -e} values: {@code key=value}, {@code @file.yml}, or a {@code {…}} mapping. */
final class ExtraVars {
  private ExtraVars() {}

  static Map<String, Value> parse(List<String> args, Problems problems) {
    Map<String, Value> vars = new LinkedHashMap<>();
    for (String arg : args) {
      Mark mark = Mark.nowhere("-e " + arg);
      if (arg.startsWith("@")) {
        Path file = Path.of(arg.substring(1));
        mapping(Yaml.read(file, problems), mark, problems).ifPresent(vars::putAll);
      } else if (arg.strip().startsWith("{")) {
        mapping(Yaml.parse(arg, "-e", problems), mark, problems).ifPresent(vars::putAll);
      } else {
        int eq = arg.indexOf('=');
        if (eq <= 0) {
          problems.error(mark, "expected key=value, @file.yml or {…} after -e, got '" + arg + "'",
              "write -e name=value");
          continue;
        }
        vars.put(arg.substring(0, eq).strip(), value(arg.substring(eq + 1), mark, problems));
      }
    }
    return vars;
  }

  private static Value value(String text, Mark mark, Problems problems) {
    String t = text.strip();
    if (t.startsWith("[") || t.startsWith("{")) {
      return Yaml.parse(t, mark.file(), problems).map(v -> Scope.remark(v, mark)).orElse(new Value.Scalar(text, mark));
    }
    if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"))) {
      return new Value.Scalar(t.substring(1, t.length() - 1), mark);
    }
    return new Value.Scalar(text, mark);
  }

  private static Optional<Map<String, Value>> mapping(Optional<Value> v, Mark mark, Problems problems) {
    if (v.isEmpty() || v.get() instanceof Value.Null) {
      return Optional.empty();
    }
    if (v.get() instanceof Value.Map m) {
      return Optional.of(m.entries());
    }
    problems.error(v.get().mark(), "extra variables must be a mapping, got " + v.get().kind(),
        "write name: value lines");
    return Optional.empty();
  }
}
