package dev.plumb.load;

import dev.plumb.inventory.Yaml;
import dev.plumb.modules.Module;
import dev.plumb.modules.ModuleRegistry;
import dev.plumb.source.Mark;
import dev.plumb.source.Problems;
import dev.plumb.source.Suggest;
import dev.plumb.source.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The playbook's shape, checked once (not per host): plays, and in each the resources and handlers
 * with their type found and their other keys set aside for per-host substitution.
 */
final class Playbook {
  static final List<String> PLAY_KEYS = List.of("name", "hosts", "vars", "sensitive", "resources", "handlers", "become", "tags");
  static final List<String> RESOURCE_KEYS = List.of("name", "requires", "notify", "tags", "timeout");

  /** One play: its host pattern, its vars, its declarations, the variables it declares sensitive. */
  record Play(int index, String hosts, Mark hostsMark, Map<String, Value> vars, List<Decl> decls, List<String> tags,
      Mark mark, java.util.Set<String> sensitive) {
    Play(int index, String hosts, Mark hostsMark, Map<String, Value> vars, List<Decl> decls, List<String> tags,
        Mark mark) {
      this(index, hosts, hostsMark, vars, decls, tags, mark, java.util.Set.of());
    }

    /** Agrees with equals (equal plays have equal indexes and marks) without hashing every declaration. */
    @Override
    public int hashCode() {
      return 31 * index + java.util.Objects.hashCode(mark);
    }
  }

  /**
   * One resource or handler as written. {@code params} is a mapping (possibly empty); the other
   * values are null when absent. {@code type} is null when the type is unknown (already reported).
   */
  record Decl(Module module, Value.Map params, Mark mark, Value name, Value requires, Value notifies, Value tags,
      Value timeout, boolean handler) {}

  private final ModuleRegistry modules;
  private final Set<String> brokenTypes;
  private final Problems problems;

  private Playbook(ModuleRegistry modules, Set<String> brokenTypes, Problems problems) {
    this.modules = modules;
    this.brokenTypes = brokenTypes;
    this.problems = problems;
  }

  static List<Play> read(Path file, ModuleRegistry modules, Set<String> brokenTypes, Problems problems) {
    return Yaml.read(file, problems).map(v -> new Playbook(modules, brokenTypes, problems).plays(v)).orElse(List.of());
  }

  private List<Play> plays(Value root) {
    if (root instanceof Value.Null) {
      problems.warning(root.mark(), "the playbook is empty", "add a play: '- hosts: all' with resources:");
      return List.of();
    }
    if (!(root instanceof Value.Seq seq)) {
      problems.error(root.mark(), "a playbook must be a list of plays, got " + root.kind(),
          "start each play with '- hosts: <pattern>'");
      return List.of();
    }
    List<Play> plays = new ArrayList<>();
    for (Value item : seq.items()) {
      if (!(item instanceof Value.Map m)) {
        problems.error(item.mark(), "a play must be a mapping, got " + describe(item),
            "write '- hosts: <pattern>' followed by resources:");
        continue;
      }
      Play play = play(plays.size(), m);
      if (play != null) {
        plays.add(play);
      }
    }
    return plays;
  }

  private Play play(int index, Value.Map m) {
    for (String key : m.entries().keySet()) {
      if (!PLAY_KEYS.contains(key)) {
        problems.error(m.keyMark(key), "unknown key '" + key + "' in a play",
            Suggest.didYouMean(key, PLAY_KEYS) + "a play takes: " + String.join(", ", PLAY_KEYS));
      }
    }
    m.get("name").filter(v -> !(v instanceof Value.Scalar || v instanceof Value.Null)).ifPresent(v ->
        problems.error(v.mark(), "a play's name must be a string, got " + v.kind(), "write name: <text>"));
    m.get("become").filter(v -> !(v instanceof Value.Scalar s && dev.plumb.modules.Params.isBool(s.text())))
        .ifPresent(v -> problems.error(v.mark(), "become must be true or false, got " + describe(v), "write become: true"));
    String hosts = hosts(m);
    Map<String, Value> vars = new LinkedHashMap<>();
    m.get("vars").ifPresent(v -> {
      if (v instanceof Value.Map vm) {
        vars.putAll(vm.entries());
      } else if (!(v instanceof Value.Null)) {
        problems.error(v.mark(), "a play's vars must be a mapping, got " + describe(v), "write one 'name: value' per line");
      }
    });
    List<String> tags = strings(m.get("tags").orElse(null), "tags");
    java.util.Set<String> sensitive = new java.util.LinkedHashSet<>(strings(m.get("sensitive").orElse(null), "sensitive"));
    List<Decl> decls = new ArrayList<>();
    decls(m.get("resources").orElse(null), false, decls);
    decls(m.get("handlers").orElse(null), true, decls);
    return hosts == null ? null : new Play(index, hosts, m.get("hosts").get().mark(), vars, decls, tags, m.mark(), sensitive);
  }

  private String hosts(Value.Map m) {
    Value v = m.get("hosts").orElse(null);
    if (v == null || v instanceof Value.Null) {
      problems.error(m.mark(), "a play needs 'hosts:'", "add 'hosts: all', a group name or a pattern such as 'gpu:!lab1'");
      return null;
    }
    if (v instanceof Value.Scalar s) {
      return s.text();
    }
    if (v instanceof Value.Seq seq && seq.items().stream().allMatch(Value.Scalar.class::isInstance)) {
      return String.join(",", seq.items().stream().map(i -> ((Value.Scalar) i).text()).toList());
    }
    problems.error(v.mark(), "hosts must be a pattern or a list of names, got " + v.kind(), "write hosts: gpu");
    return null;
  }

  private void decls(Value list, boolean handler, List<Decl> out) {
    String where = handler ? "handlers" : "resources";
    if (list == null || list instanceof Value.Null) {
      return;
    }
    if (!(list instanceof Value.Seq seq)) {
      problems.error(list.mark(), where + " must be a list, got " + describe(list),
          "write one '- <type>: {params}' per " + (handler ? "handler" : "resource"));
      return;
    }
    for (Value item : seq.items()) {
      if (!(item instanceof Value.Map m)) {
        problems.error(item.mark(), "a resource must be a mapping like '- file: {path: /etc/x}', got " + describe(item),
            "write '- <type>: {params}'");
        continue;
      }
      Decl d = decl(m, handler);
      if (d != null) {
        out.add(d);
      }
    }
  }

  private Decl decl(Value.Map m, boolean handler) {
    List<String> others = m.entries().keySet().stream().filter(k -> !RESOURCE_KEYS.contains(k)).toList();
    List<String> known = others.stream().filter(modules::has).toList();
    String type;
    if (!known.isEmpty()) {
      type = known.get(0);
    } else if (!others.isEmpty()) {
      type = others.get(0);
      if (!brokenTypes.contains(type)) {
        List<String> types = modules.all().stream().map(Module::type).toList();
        problems.error(m.keyMark(type), "unknown resource type '" + type + "'", Suggest.didYouMean(type, types)
            + "run 'plumb modules' to list the resource types, or add modules/" + type + ".yml");
      }
    } else {
      problems.error(m.mark(), "this resource has no type", "write '- <type>: {params}', e.g. '- file: {path: /etc/x}'");
      return null;
    }
    for (String key : others) {
      if (!key.equals(type)) {
        List<String> candidates = new ArrayList<>(RESOURCE_KEYS);
        problems.error(m.keyMark(key), modules.has(key)
            ? "a resource has one type, this one has '" + type + "' and '" + key + "'"
            : "unknown key '" + key + "' in a resource",
            modules.has(key) ? "start a new list item ('- " + key + ": …') for the second resource"
                : key.equals("when") ? "plumb has no conditions: target the hosts with the play's hosts: pattern,"
                    + " or set the value per host with a variable"
                : Suggest.didYouMean(key, candidates) + "besides its type, a resource takes: " + String.join(", ", RESOURCE_KEYS));
      }
    }
    if (!modules.has(type)) {
      return null;
    }
    Value params = m.entries().get(type);
    Mark mark = m.keyMark(type);
    Value.Map map;
    if (params instanceof Value.Map pm) {
      map = pm;
    } else if (params instanceof Value.Null) {
      map = new Value.Map(Map.of(), Map.of(), mark);
    } else {
      problems.error(params.mark(), "the parameters of " + type + " must be a mapping, got " + describe(params),
          "write '" + type + ": {name: value, …}'");
      return null;
    }
    return new Decl(modules.find(type).orElseThrow(), map, mark, m.entries().get("name"), m.entries().get("requires"),
        m.entries().get("notify"), m.entries().get("tags"), m.entries().get("timeout"), handler);
  }

  /** A string or a list of strings, for play tags. */
  private List<String> strings(Value v, String what) {
    if (v == null || v instanceof Value.Null) {
      return List.of();
    }
    if (v instanceof Value.Scalar s) {
      return List.of(s.text());
    }
    if (v instanceof Value.Seq seq && seq.items().stream().allMatch(Value.Scalar.class::isInstance)) {
      return seq.items().stream().map(i -> ((Value.Scalar) i).text()).toList();
    }
    problems.error(v.mark(), what + " must be a string or a list of strings, got " + v.kind(), "write " + what + ": [a, b]");
    return List.of();
  }

  static String describe(Value v) {
    return ParamCheck.describe(v);
  }
}
