package dev.plumb.load;

import dev.plumb.modules.YamlModule;
import dev.plumb.source.Suggest;
import dev.plumb.inventory.Yaml;
import dev.plumb.modules.Param;
import dev.plumb.modules.Params;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Mark;
import dev.plumb.source.Problems;
import dev.plumb.source.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads {@code modules/*.yml} into {@link YamlModuleSpec}s; every mistake has its mark.
 *
 * <p>Just over 250 lines: each key of a module file has its own check and message, and they are
 * read as one format.
 */
final class YamlModules {
  static final List<String> KEYS =
      List.of("type", "description", "params", "key", "fact", "converged", "converge", "takes_effect");
  static final List<String> PARAM_KEYS = List.of("name", "type", "required", "default", "doc");
  static final List<String> CONVERGED_KEYS = List.of("exit_status", "stdout_contains", "stdout_equals");
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)[^}]*\\}\\}");

  private YamlModules() {}

  /** The {@code modules/} directory of a playbook: beside it, or beside its directory. */
  static Optional<Path> directoryFor(Path playbook) {
    Path dir = playbook.getParent() == null ? Path.of("") : playbook.getParent();
    for (Path candidate : List.of(dir.resolve("modules"), dir.resolve("..").resolve("modules").normalize())) {
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static List<YamlModuleSpec> read(Path dir, java.util.Set<String> broken, Problems problems) {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".yml") && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      problems.error(Mark.nowhere(dir.toString()), "cannot list modules directory: " + e.getMessage(), "check its permissions");
      return List.of();
    }
    List<YamlModuleSpec> specs = new ArrayList<>();
    for (Path f : files) {
      Problems local = new Problems();
      Optional<YamlModuleSpec> spec = Yaml.read(f, local).flatMap(v -> spec(v, f, local));
      problems.addAll(local.all());
      // A spec with any error is not registered: its resources then report an unknown type too,
      // which is noise, but registering a half-read module would be worse.
      spec.filter(x -> !local.hasErrors()).ifPresent(specs::add);
      if (local.hasErrors()) {
        broken.add(f.getFileName().toString().replaceFirst("\\.yml$", ""));
      }
    }
    return specs;
  }

  private static Optional<YamlModuleSpec> spec(Value root, Path file, Problems problems) {
    if (!(root instanceof Value.Map m)) {
      problems.error(root.mark(), "a module file must be a mapping, got " + root.kind(),
          "start with 'type:', 'params:', 'fact:', 'converge:' (see docs/modules.md)");
      return Optional.empty();
    }
    boolean ok = true;
    for (String key : m.entries().keySet()) {
      if (!KEYS.contains(key)) {
        problems.error(m.keyMark(key), "unknown key '" + key + "' in a module",
            Suggest.didYouMean(key, KEYS) + "a module takes: " + String.join(", ", KEYS));
        ok = false;
      }
    }
    String fallback = file.getFileName().toString().replaceFirst("\\.yml$", "");
    String type = scalar(m, "type", problems).orElse(fallback);
    if (!TYPE.matcher(type).matches()) {
      problems.error(m.get("type").map(Value::mark).orElse(m.mark()), "module type '" + type
          + "' must be lowercase letters, digits and _", "rename it, e.g. " + type.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_"));
      ok = false;
    }
    String description = scalar(m, "description", problems).orElse("");
    List<Param> params = params(m.get("params").orElse(null), problems);
    List<String> names = params.stream().map(Param::name).toList();
    Optional<Value> factValue = m.get("fact");
    String fact = scalar(m, "fact", problems).orElse(null);
    if (fact == null) {
      problems.error(m.mark(), "module '" + type + "' has no 'fact:'", "add the shell command that reads the current state");
      ok = false;
    } else {
      placeholders(fact, factValue.get().mark(), names, problems);
    }
    YamlModule.Condition converged = converged(m.get("converged").orElse(null), names, problems);
    List<String> converge = commands(m, names, problems);
    if (converge.isEmpty() && m.get("converge").isEmpty()) {
      problems.error(m.mark(), "module '" + type + "' has no 'converge:'", "add the list of commands that converge it");
      ok = false;
    }
    TakesEffect effect = takesEffect(m.get("takes_effect").orElse(null), problems);
    String key = scalar(m, "key", problems).orElse(null);
    if (key != null && !names.contains(key)) {
      problems.error(m.get("key").get().mark(), "key '" + key + "' is not a parameter of module '" + type + "'",
          Suggest.didYouMean(key, names) + "name one of: " + String.join(", ", names));
      ok = false;
    }
    if (!ok) {
      return Optional.empty();
    }
    YamlModuleSpec spec = new YamlModuleSpec(type, description, params, fact, converged, converge, effect, m.mark());
    return Optional.of(key == null ? spec : new YamlModuleSpec(type, description, params, fact, converged, converge,
        effect, m.mark(), key));
  }

  private static Optional<String> scalar(Value.Map m, String key, Problems problems) {
    Optional<Value> v = m.get(key);
    if (v.isEmpty() || v.get() instanceof Value.Null) {
      return Optional.empty();
    }
    if (v.get() instanceof Value.Scalar s) {
      return Optional.of(s.text());
    }
    problems.error(v.get().mark(), "'" + key + "' must be a string, got " + v.get().kind(), "write a single value");
    return Optional.empty();
  }

  private static List<Param> params(Value value, Problems problems) {
    List<Param> params = new ArrayList<>();
    if (value == null || value instanceof Value.Null) {
      return params;
    }
    if (!(value instanceof Value.Seq seq)) {
      problems.error(value.mark(), "'params' must be a list, got " + value.kind(),
          "write one '- {name: x, type: string}' per parameter");
      return params;
    }
    for (Value item : seq.items()) {
      if (!(item instanceof Value.Map p)) {
        problems.error(item.mark(), "a parameter must be a mapping, got " + item.kind(),
            "write '- {name: x, type: string, required: true, doc: …}'");
        continue;
      }
      p.entries().keySet().stream().filter(k -> !PARAM_KEYS.contains(k)).forEach(k -> problems.error(p.keyMark(k),
          "unknown key '" + k + "' in a parameter", Suggest.didYouMean(k, PARAM_KEYS) + "a parameter takes: "
              + String.join(", ", PARAM_KEYS)));
      Optional<String> name = scalar(p, "name", problems);
      if (name.isEmpty()) {
        problems.error(p.mark(), "a parameter has no name", "add 'name: …'");
        continue;
      }
      if (params.stream().anyMatch(q -> q.name().equals(name.get()))) {
        problems.error(p.get("name").get().mark(), "parameter '" + name.get() + "' is declared twice", "remove one");
        continue;
      }
      List<String> typeNames = java.util.Arrays.stream(Param.Type.values()).map(t -> t.name().toLowerCase(Locale.ROOT)).toList();
      String typeName = scalar(p, "type", problems).orElse("string");
      if (!typeNames.contains(typeName)) {
        problems.error(p.get("type").get().mark(), "unknown parameter type '" + typeName + "'",
            Suggest.didYouMean(typeName, typeNames) + "use one of: " + String.join(", ", typeNames));
        typeName = "string"; // keep the parameter so its placeholders are not reported too
      }
      Optional<String> required = scalar(p, "required", problems);
      if (required.isPresent() && !Params.isBool(required.get())) {
        problems.error(p.get("required").get().mark(), "'required' must be true or false, got '" + required.get() + "'",
            "write true or false");
      }
      params.add(new Param(name.get(), Param.Type.valueOf(typeName.toUpperCase(Locale.ROOT)),
          required.map(Params::parseBool).orElse(false), scalar(p, "default", problems).orElse(null),
          scalar(p, "doc", problems).orElse("")));
    }
    return params;
  }

  private static YamlModule.Condition converged(Value value, List<String> names, Problems problems) {
    if (value == null || value instanceof Value.Null) {
      return new YamlModule.Condition.ExitStatus(0);
    }
    if (!(value instanceof Value.Map m) || m.entries().size() != 1) {
      problems.error(value.mark(), "'converged' must be one of exit_status:, stdout_contains: or stdout_equals:",
          "write e.g. 'converged: {exit_status: 0}'");
      return new YamlModule.Condition.ExitStatus(0);
    }
    String key = m.entries().keySet().iterator().next();
    Optional<String> text = scalar(m, key, problems);
    Mark at = m.entries().get(key).mark();
    switch (key) {
      case "exit_status" -> {
        if (text.isPresent() && text.get().strip().matches("\\d+")) {
          return new YamlModule.Condition.ExitStatus(Integer.parseInt(text.get().strip()));
        }
        problems.error(at, "exit_status must be a whole number, got " + ParamCheck.describe(m.entries().get(key)),
            "write e.g. exit_status: 0");
      }
      case "stdout_contains", "stdout_equals" -> {
        String t = text.orElse("");
        placeholders(t, at, names, problems);
        return key.equals("stdout_contains") ? new YamlModule.Condition.StdoutContains(t)
            : new YamlModule.Condition.StdoutEquals(t);
      }
      default -> problems.error(m.keyMark(key), "unknown condition '" + key + "' in converged",
          Suggest.didYouMean(key, CONVERGED_KEYS) + "use one of: " + String.join(", ", CONVERGED_KEYS));
    }
    return new YamlModule.Condition.ExitStatus(0);
  }

  private static List<String> commands(Value.Map m, List<String> names, Problems problems) {
    Optional<Value> v = m.get("converge");
    List<String> out = new ArrayList<>();
    if (v.isEmpty() || v.get() instanceof Value.Null) {
      return out;
    }
    List<Value> items = v.get() instanceof Value.Seq seq ? seq.items() : List.of(v.get());
    for (Value item : items) {
      if (item instanceof Value.Scalar s) {
        placeholders(s.text(), s.mark(), names, problems);
        out.add(s.text());
      } else {
        problems.error(item.mark(), "a converge command must be a string, got " + item.kind(),
            "write each command as one string");
      }
    }
    return out;
  }

  private static void placeholders(String text, Mark mark, List<String> names, Problems problems) {
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      if (!names.contains(m.group(1))) {
        problems.error(mark, "'{{ " + m.group(1) + " }}' is not a parameter of this module",
            Suggest.didYouMean(m.group(1), names) + (names.isEmpty() ? "declare it under params:"
                : "parameters are: " + String.join(", ", names)));
      }
    }
  }

  private static TakesEffect takesEffect(Value value, Problems problems) {
    if (value == null || value instanceof Value.Null) {
      return TakesEffect.NOW;
    }
    String t = value instanceof Value.Scalar s ? s.text().strip() : "";
    if (t.equals("now")) {
      return TakesEffect.NOW;
    }
    if (t.equals("reboot")) {
      return TakesEffect.AFTER_REBOOT;
    }
    if (t.startsWith("restart:") && t.length() > "restart:".length()) {
      return TakesEffect.afterRestart(t.substring("restart:".length()).strip());
    }
    problems.error(value.mark(), "takes_effect must be now, reboot or restart:<service>, got "
        + ParamCheck.describe(value), "write e.g. takes_effect: restart:nova-compute");
    return TakesEffect.NOW;
  }
}
