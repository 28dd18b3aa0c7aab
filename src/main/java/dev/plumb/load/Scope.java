package dev.plumb.load;

import dev.plumb.inventory.Yaml;
import dev.plumb.source.Mark;
import dev.plumb.source.Problem;
import dev.plumb.source.Problems;
import dev.plumb.source.Suggest;
import dev.plumb.source.Value;
import dev.plumb.text.Sensitive;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variables one host sees in one play, and the substitution of {@code {{ … }}} in values.
 *
 * <p>Deliberately not a template engine: {@code {{ name }}}, {@code {{ a.b }}} and {@code {{ x |
 * default(v) }}} only. Variables are resolved lazily (a variable may use others) and memoized; a
 * variable being resolved that is met again is a cycle.
 *
 * <p>Over 250 lines because the variables and the substitution share one lazy, memoized resolution
 * and its cycle detection: neither works without the other.
 */
final class Scope {
  private static final Pattern EXPR = Pattern.compile("\\{\\{(.*?)\\}\\}", Pattern.DOTALL);
  private static final Pattern PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_-]+)*");
  private static final Pattern DEFAULT = Pattern.compile("(?:default|d)\\s*\\((.*)\\)", Pattern.DOTALL);
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
  /** The most text one substituted value may become (documented in docs/variables.md). */
  static final int MAX_EXPANDED = 1 << 20;
  private static final String SUPPORTED = "plumb supports {{ name }}, {{ a.b }} and {{ name | default(value) }}";

  /** A substitution failed at a mark; caught per scalar so each bad scalar is reported once. */
  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Problem problem;

    Failure(Mark mark, String message, String fix) {
      super(message, null, false, false);
      this.problem = Problem.error(mark, message, fix);
    }
  }

  private final Map<String, Value> raw;
  private final Map<String, Value> resolved = new HashMap<>();
  private final List<String> resolving = new ArrayList<>();

  /** Variables merged by precedence already (later layers put over earlier ones). */
  Scope(Map<String, Value> vars) {
    this(vars, Set.of());
  }

  /**
   * Variables, those named in {@code sensitive} (and those with credential-like names) marked
   * sensitive: a value built from one is sensitive too.
   */
  Scope(Map<String, Value> vars, Set<String> sensitive) {
    this.raw = new LinkedHashMap<>();
    vars.forEach((name, v) -> raw.put(name,
        sensitive.contains(name) || Sensitive.isCredentialName(name) ? Value.sensitive(v) : v));
  }

  /** The texts of every sensitive variable (substituted when it can be), for redaction. */
  Set<String> sensitiveTexts() {
    Set<String> out = new java.util.LinkedHashSet<>();
    raw.values().forEach(v -> Value.sensitiveTexts(v, out));
    resolved.values().forEach(v -> Value.sensitiveTexts(v, out));
    return out;
  }

  Set<String> names() {
    return raw.keySet();
  }

  /** {@code value} with every template substituted; empty when any failed (each reported). */
  Optional<Value> resolve(Value value, Problems problems) {
    List<Problem> failures = new ArrayList<>();
    Value out = walk(value, failures);
    failures.forEach(problems::add);
    return failures.isEmpty() ? Optional.of(out) : Optional.empty();
  }

  /** Like {@link #resolve}, but a failure keeps the original value and reports nothing. */
  Value resolveQuietly(Value value) {
    List<Problem> failures = new ArrayList<>();
    Value out = walk(value, failures);
    return failures.isEmpty() ? out : value;
  }

  private Value walk(Value value, List<Problem> failures) {
    if (value instanceof Value.Scalar s) {
      try {
        return scalar(s);
      } catch (Failure f) {
        failures.add(f.problem);
        return s;
      }
    }
    if (value instanceof Value.Seq seq) {
      return new Value.Seq(seq.items().stream().map(v -> walk(v, failures)).toList(), seq.mark());
    }
    if (value instanceof Value.Map map) {
      Map<String, Value> entries = new LinkedHashMap<>();
      map.entries().forEach((k, v) -> entries.put(k, walk(v, failures)));
      return new Value.Map(entries, map.keyMarks(), map.mark());
    }
    return value;
  }

  private Value strict(Value value) {
    if (value instanceof Value.Scalar s) {
      return scalar(s);
    }
    if (value instanceof Value.Seq seq) {
      return new Value.Seq(seq.items().stream().map(this::strict).toList(), seq.mark());
    }
    if (value instanceof Value.Map map) {
      Map<String, Value> entries = new LinkedHashMap<>();
      map.entries().forEach((k, v) -> entries.put(k, strict(v)));
      return new Value.Map(entries, map.keyMarks(), map.mark());
    }
    return value;
  }

  private Value scalar(Value.Scalar s) {
    String text = s.text();
    if (!text.contains("{{")) {
      return s;
    }
    List<MatchResult> exprs = EXPR.matcher(text).results().toList();
    if (exprs.isEmpty()) {
      throw new Failure(s.mark(), "'{{' without a closing '}}' in " + quote(text), "close it with '}}'");
    }
    // Exactly one expression and nothing else: the value keeps its type (a list stays a list).
    if (exprs.size() == 1 && text.strip().equals(exprs.get(0).group())) {
      return remark(eval(exprs.get(0).group(1), s), s.mark());
    }
    StringBuilder out = new StringBuilder();
    Matcher m = EXPR.matcher(text);
    boolean sensitive = s.sensitive();
    while (m.find()) {
      Value v = eval(m.group(1), s);
      sensitive |= v instanceof Value.Scalar sc && sc.sensitive();
      if (v instanceof Value.Seq || v instanceof Value.Map) {
        throw new Failure(s.mark(), "'{{" + m.group(1) + "}}' is " + v.kind() + " and cannot be put inside text "
            + quote(text), "use it as the whole value (exactly \"{{" + m.group(1) + "}}\"), or pick one item with .0 or .key");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v instanceof Value.Scalar sc ? sc.text() : ""));
      if (out.length() > MAX_EXPANDED) {
        throw new Failure(s.mark(), "the value " + quote(text) + " expands to more than " + MAX_EXPANDED
            + " characters", "variables that repeat other variables grow exponentially; write the value out");
      }
    }
    m.appendTail(out);
    return new Value.Scalar(out.toString(), s.mark(), sensitive);
  }

  private Value eval(String expr, Value.Scalar at) {
    int bar = pipe(expr);
    String base = (bar < 0 ? expr : expr.substring(0, bar)).strip();
    String filter = bar < 0 ? null : expr.substring(bar + 1).strip();
    String defaultArg = null;
    if (filter != null) {
      Matcher d = DEFAULT.matcher(filter);
      if (!d.matches() || pipe(d.group(1)) >= 0) {
        throw new Failure(at.mark(), "unsupported filter '" + filter + "' in " + quote(at.text()),
            SUPPORTED + "; compute other values in the inventory or pass them with -e");
      }
      defaultArg = d.group(1).strip();
    }
    if (isQuoted(base)) {
      return new Value.Scalar(base.substring(1, base.length() - 1), at.mark());
    }
    if (!PATH.matcher(base).matches()) {
      throw new Failure(at.mark(), "cannot read the expression '" + base + "' in " + quote(at.text()), SUPPORTED);
    }
    Optional<Value> found = lookup(base, at, defaultArg == null);
    return found.isPresent() ? found.get() : literal(defaultArg, at);
  }

  /** The value at a dotted path; empty when undefined and a default is allowed. */
  private Optional<Value> lookup(String path, Value.Scalar at, boolean strict) {
    String[] parts = path.split("\\.");
    if (!raw.containsKey(parts[0])) {
      if (!strict) {
        return Optional.empty();
      }
      throw new Failure(at.mark(), "undefined variable '" + parts[0] + "' in " + quote(at.text()),
          Suggest.didYouMean(parts[0], raw.keySet()) + "define '" + parts[0]
              + "' in the play's vars:, in the inventory, or with -e " + parts[0] + "=…");
    }
    Value v = variable(parts[0], at);
    String walked = parts[0];
    for (int i = 1; i < parts.length; i++) {
      Value next = null;
      if (v instanceof Value.Map m) {
        next = m.entries().get(parts[i]);
      } else if (v instanceof Value.Seq q && parts[i].matches("\\d+") && Integer.parseInt(parts[i]) < q.items().size()) {
        next = q.items().get(Integer.parseInt(parts[i]));
      }
      if (next == null) {
        if (!strict) {
          return Optional.empty();
        }
        List<String> keys = v instanceof Value.Map m ? List.copyOf(m.entries().keySet()) : List.of();
        throw new Failure(at.mark(), "undefined variable '" + path + "' in " + quote(at.text()) + ": '" + walked
            + "' is " + v.kind() + (keys.isEmpty() ? "" : " without key '" + parts[i] + "'"),
            Suggest.didYouMean(parts[i], keys) + (keys.isEmpty() ? "" : "its keys are: " + String.join(", ", keys)));
      }
      v = next;
      walked += "." + parts[i];
    }
    return Optional.of(v);
  }

  /** A variable's value with its own templates substituted (memoized; cycles are errors). */
  private Value variable(String name, Value.Scalar at) {
    Value done = resolved.get(name);
    if (done != null) {
      return done;
    }
    int seen = resolving.indexOf(name);
    if (seen >= 0) {
      List<String> cycle = new ArrayList<>(resolving.subList(seen, resolving.size()));
      cycle.add(name);
      throw new Failure(at.mark(), "variable cycle: " + String.join(" -> ", cycle),
          "give one of these variables a plain value");
    }
    resolving.add(name);
    try {
      Value v = strict(raw.get(name));
      resolved.put(name, v);
      return v;
    } finally {
      resolving.remove(resolving.size() - 1);
    }
  }

  /** The argument of {@code default(…)}: a quoted string, number, [], {}, a flow list, or a word. */
  private Value literal(String arg, Value.Scalar at) {
    if (arg.isEmpty()) {
      return new Value.Scalar("", at.mark());
    }
    if (isQuoted(arg)) {
      return new Value.Scalar(arg.substring(1, arg.length() - 1), at.mark());
    }
    if (arg.startsWith("[") || arg.startsWith("{")) {
      Problems p = new Problems();
      Optional<Value> v = Yaml.parse(arg, at.mark().toString(), p);
      if (v.isEmpty() || p.hasErrors()) {
        throw new Failure(at.mark(), "cannot read default(" + arg + ") in " + quote(at.text()),
            "write a list as [a, b] or a mapping as {k: v}");
      }
      return remark(v.get(), at.mark());
    }
    if (NUMBER.matcher(arg).matches()) {
      return new Value.Scalar(arg, at.mark());
    }
    if (arg.equalsIgnoreCase("none") || arg.equals("null")) {
      return new Value.Null(at.mark());
    }
    // A bare word is a variable when one is defined by that name (as in Jinja), else the word.
    if (PATH.matcher(arg).matches() && raw.containsKey(arg.split("\\.")[0])) {
      return lookup(arg, at, true).orElseThrow();
    }
    return new Value.Scalar(arg, at.mark());
  }

  /** Index of the first '|' outside quotes, or -1. */
  private static int pipe(String expr) {
    char quote = 0;
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (quote == 0 && (c == '\'' || c == '"')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      } else if (quote == 0 && c == '|') {
        return i;
      }
    }
    return -1;
  }

  private static boolean isQuoted(String s) {
    return s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""));
  }

  static String quote(String text) {
    String one = text.replace("\n", "\\n");
    return "\"" + (one.length() > 80 ? one.substring(0, 77) + "..." : one) + "\"";
  }

  /** The same value, placed at the mark where it was used. */
  static Value remark(Value v, Mark mark) {
    if (v instanceof Value.Scalar s) {
      return new Value.Scalar(s.text(), mark, s.sensitive());
    }
    if (v instanceof Value.Seq q) {
      return new Value.Seq(q.items(), mark);
    }
    if (v instanceof Value.Map m) {
      return new Value.Map(m.entries(), m.keyMarks(), mark);
    }
    return new Value.Null(mark);
  }
}
