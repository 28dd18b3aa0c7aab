package dev.plumb.plan;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.modules.Label;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Mark;
import dev.plumb.source.Problem;
import dev.plumb.text.Json;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A host's plan as JSON and back: {@code parse(render(p))} equals {@code p}, so a saved plan runs
 * exactly as the plan that was made. The schema is versioned by {@code "schema"} and documented in
 * docs/json-format.md; bytes (stdin, predicted file contents) are base64 so they survive exactly.
 *
 * <p>Over 250 lines because the writer and the reader of the schema stay side by side: each field
 * is written and read back in one place, which is what keeps the round trip exact.
 */
public final class PlanJson {
  /** The schema version this code writes and reads. */
  public static final int SCHEMA = 1;

  private PlanJson() {}

  /** The plan as an indented JSON text. */
  public static String render(HostPlan plan) {
    return Json.pretty(toJson(plan)) + "\n";
  }

  /** The plan as plain JSON values (maps, lists, strings, numbers, booleans). */
  public static Map<String, Object> toJson(HostPlan plan) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema", SCHEMA);
    m.put("host", plan.host());
    m.put("reboot_pending", plan.rebootPending());
    m.put("reboot_planned", plan.rebootPlanned());
    List<Object> problems = new ArrayList<>();
    for (Problem p : plan.problems()) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("severity", p.severity().name().toLowerCase(Locale.ROOT));
      pm.put("file", p.mark().file());
      pm.put("line", p.mark().line());
      pm.put("column", p.mark().column());
      pm.put("message", p.message());
      pm.put("fix", p.fix());
      problems.add(pm);
    }
    m.put("problems", problems);
    List<Object> steps = new ArrayList<>();
    plan.steps().forEach(s -> steps.add(step(s)));
    m.put("steps", steps);
    return m;
  }

  private static Map<String, Object> step(Step s) {
    Change c = s.change();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", s.index());
    m.put("id", s.id());
    m.put("type", s.type());
    m.put("handler", s.handler());
    m.put("declared_at", s.declaredAt());
    m.put("timeout_ms", s.timeout().toMillis());
    m.put("action", c.action().jsonName());
    m.put("label", c.label().word());
    m.put("takes_effect", takesEffect(c.takesEffect()));
    m.put("before", c.before());
    m.put("after", c.after());
    m.put("diff", c.diff());
    List<Object> commands = new ArrayList<>();
    for (Command cmd : c.commands()) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("argv", cmd.argv());
      cm.put("stdin_base64", Base64.getEncoder().encodeToString(cmd.stdin()));
      cm.put("shown", cmd.shown());
      commands.add(cm);
    }
    m.put("commands", commands);
    m.put("notes", c.notes());
    m.put("blockers", c.blockers());
    List<Object> writes = new ArrayList<>();
    c.writes().forEach((path, result) -> {
      Map<String, Object> w = result(result);
      w.put("path", path);
      writes.add(w);
    });
    m.put("writes", writes);
    m.put("reboot_pending", c.rebootPending());
    m.put("depends_on", s.dependsOn());
    m.put("notified_by", s.notifiedBy());
    List<Object> facts = new ArrayList<>();
    s.facts().forEach((fact, digest) -> {
      Map<String, Object> f = factJson(fact);
      f.put("digest", digest);
      facts.add(f);
    });
    m.put("facts", facts);
    return m;
  }

  /**
   * A fact as the plan's JSON names it: {@code {"file": path}}, {@code {"files": glob}} or {@code
   * {"command": script}} (a mutable map, so a caller can add the fact's digest beside it). Saved
   * plans name their facts the same way.
   */
  public static Map<String, Object> factJson(Fact fact) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (fact instanceof Fact.File file) {
      f.put("file", file.path());
    } else if (fact instanceof Fact.Files files) {
      f.put("files", files.glob());
    } else if (fact instanceof Fact.Command cmd) {
      f.put("command", cmd.script());
    } else {
      throw new IllegalStateException("a fact kind without a JSON name: " + fact);
    }
    return f;
  }

  /**
   * Reads a fact written by {@link #factJson}.
   *
   * @param where the field's place in the document, for the message
   * @throws IllegalArgumentException when the object names no fact kind this plumb reads
   */
  public static Fact fact(Object json, String where) {
    Obj f = new Obj(json, where);
    if (f.has("file")) {
      return Fact.file(f.string("file"));
    }
    if (f.has("files")) {
      return Fact.files(f.string("files"));
    }
    if (f.has("command")) {
      return Fact.command(f.string("command"));
    }
    throw new IllegalArgumentException("plan JSON: " + where + " has none of \"file\", \"files\", \"command\"");
  }

  private static Map<String, Object> takesEffect(TakesEffect t) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (t instanceof TakesEffect.AfterRestart r) {
      m.put("when", "after_restart");
      m.put("what", r.what());
    } else {
      m.put("when", t instanceof TakesEffect.AfterReboot ? "after_reboot" : "now");
    }
    return m;
  }

  private static Map<String, Object> result(FactResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (r instanceof FactResult.Content c) {
      m.put("state", "content");
      m.put("base64", Base64.getEncoder().encodeToString(c.bytes()));
    } else if (r instanceof FactResult.Output o) {
      m.put("state", "output");
      m.put("exit", o.exitStatus());
      m.put("base64", Base64.getEncoder().encodeToString(o.stdout()));
    } else {
      m.put("state", r instanceof FactResult.Missing ? "missing" : "unreadable");
    }
    return m;
  }

  // ---- reading

  /**
   * Reads a plan written by {@link #render}.
   *
   * @throws IllegalArgumentException naming the field that is wrong, or a schema this code does not
   *     read
   */
  public static HostPlan parse(String text) {
    Object root;
    try {
      root = Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the plan is not valid JSON: " + e.getMessage(), e);
    }
    return fromJson(root);
  }

  /** Reads a plan from plain JSON values (as {@link Json#parse} gives them). */
  public static HostPlan fromJson(Object root) {
    Obj m = new Obj(root, "plan");
    int schema = m.integer("schema");
    if (schema != SCHEMA) {
      throw new IllegalArgumentException("the plan has schema " + schema + "; this plumb reads schema " + SCHEMA
          + ": make the plan again with this plumb");
    }
    List<Problem> problems = new ArrayList<>();
    List<Object> ps = m.list("problems");
    for (int i = 0; i < ps.size(); i++) {
      Obj p = new Obj(ps.get(i), "problems[" + i + "]");
      Problem.Severity severity = switch (p.string("severity")) {
        case "error" -> Problem.Severity.ERROR;
        case "warning" -> Problem.Severity.WARNING;
        default -> throw p.bad("severity", "error or warning");
      };
      problems.add(new Problem(new Mark(p.string("file"), p.integer("line"), p.integer("column")), severity,
          p.string("message"), p.nullableString("fix")));
    }
    List<Step> steps = new ArrayList<>();
    List<Object> ss = m.list("steps");
    for (int i = 0; i < ss.size(); i++) {
      steps.add(step(new Obj(ss.get(i), "steps[" + i + "]")));
    }
    return new HostPlan(m.string("host"), steps, problems, m.bool("reboot_pending"), m.bool("reboot_planned"));
  }

  private static Step step(Obj m) {
    List<Command> commands = new ArrayList<>();
    List<Object> cs = m.list("commands");
    for (int i = 0; i < cs.size(); i++) {
      Obj c = new Obj(cs.get(i), m.where + ".commands[" + i + "]");
      commands.add(new Command(c.strings("argv"), c.base64("stdin_base64"), c.string("shown")));
    }
    Map<String, FactResult> writes = new LinkedHashMap<>();
    List<Object> ws = m.list("writes");
    for (int i = 0; i < ws.size(); i++) {
      Obj w = new Obj(ws.get(i), m.where + ".writes[" + i + "]");
      writes.put(w.string("path"), result(w));
    }
    Map<Fact, String> facts = new LinkedHashMap<>();
    List<Object> fs = m.list("facts");
    for (int i = 0; i < fs.size(); i++) {
      String where = m.where + ".facts[" + i + "]";
      facts.put(fact(fs.get(i), where), new Obj(fs.get(i), where).string("digest"));
    }
    Change change = new Change(action(m), m.string("before"), m.string("after"), m.string("diff"), commands,
        takesEffect(new Obj(m.get("takes_effect"), m.where + ".takes_effect")), label(m), m.strings("notes"),
        m.strings("blockers"), writes, m.bool("reboot_pending"));
    return new Step(m.integer("index"), m.string("id"), m.string("type"), m.bool("handler"), m.string("declared_at"),
        Duration.ofMillis(m.longValue("timeout_ms")), change, m.strings("depends_on"), m.strings("notified_by"), facts);
  }

  private static Action action(Obj m) {
    String name = m.string("action");
    for (Action a : Action.values()) {
      if (a.jsonName().equals(name)) {
        return a;
      }
    }
    throw m.bad("action", "one of none, create, update, delete, run, restart");
  }

  private static Label label(Obj m) {
    String name = m.string("label");
    for (Label l : Label.values()) {
      if (l.word().equals(name)) {
        return l;
      }
    }
    throw m.bad("label", "observed, predicted or opaque");
  }

  private static TakesEffect takesEffect(Obj m) {
    return switch (m.string("when")) {
      case "now" -> TakesEffect.NOW;
      case "after_reboot" -> TakesEffect.AFTER_REBOOT;
      case "after_restart" -> TakesEffect.afterRestart(m.string("what"));
      default -> throw m.bad("when", "now, after_restart or after_reboot");
    };
  }

  private static FactResult result(Obj m) {
    return switch (m.string("state")) {
      case "content" -> new FactResult.Content(m.base64("base64"));
      case "output" -> new FactResult.Output(m.integer("exit"), m.base64("base64"));
      case "missing" -> new FactResult.Missing();
      case "unreadable" -> new FactResult.Unreadable();
      default -> throw m.bad("state", "content, output, missing or unreadable");
    };
  }

  /** A JSON object being read, with where it is for messages. */
  private static final class Obj {
    final Map<?, ?> map;
    final String where;

    Obj(Object value, String where) {
      if (!(value instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("plan JSON: " + where + " must be an object");
      }
      this.map = m;
      this.where = where;
    }

    boolean has(String key) {
      return map.containsKey(key);
    }

    Object get(String key) {
      if (!map.containsKey(key)) {
        throw new IllegalArgumentException("plan JSON: " + where + " has no \"" + key + "\"");
      }
      return map.get(key);
    }

    IllegalArgumentException bad(String key, String expected) {
      return new IllegalArgumentException("plan JSON: " + where + "." + key + " must be " + expected);
    }

    String string(String key) {
      return get(key) instanceof String s ? s : fail(key, "a string");
    }

    String nullableString(String key) {
      Object v = map.get(key);
      return v == null ? null : string(key);
    }

    boolean bool(String key) {
      return get(key) instanceof Boolean b ? b : fail(key, "true or false");
    }

    long longValue(String key) {
      try {
        // Any Number: the JSON facade's reader decides the boxed type.
        return get(key) instanceof Number n ? new BigDecimal(n.toString()).longValueExact() : fail(key, "a whole number");
      } catch (ArithmeticException | NumberFormatException e) {
        return fail(key, "a whole number");
      }
    }

    int integer(String key) {
      long v = longValue(key);
      return v == (int) v ? (int) v : fail(key, "a whole number");
    }

    List<Object> list(String key) {
      if (get(key) instanceof List<?> l) {
        return new ArrayList<>(l);
      }
      return fail(key, "a list");
    }

    List<String> strings(String key) {
      List<String> out = new ArrayList<>();
      for (Object o : list(key)) {
        if (!(o instanceof String s)) {
          return fail(key, "a list of strings");
        }
        out.add(s);
      }
      return out;
    }

    byte[] base64(String key) {
      try {
        return Base64.getDecoder().decode(string(key));
      } catch (IllegalArgumentException e) {
        return fail(key, "base64 text");
      }
    }

    private <T> T fail(String key, String expected) {
      throw bad(key, expected);
    }
  }
}
