package dev.plumb;

import dev.plumb.cli.Builtins;
import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.facts.FileListing;
import dev.plumb.modules.Change;
import dev.plumb.modules.Module;
import dev.plumb.modules.Params;
import dev.plumb.modules.Timezone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * One module case read from src/test/resources/modules/TYPE/CASE.yml: a module's params and the
 * facts it reads (facts in), and the change it must plan (change out, under {@code expect}).
 *
 * <p>Every fact the module declares and the case does not give reads as a missing file, or as a
 * command that printed nothing and exited 0. A command fact is named by a piece of its script
 * ({@code match}) that no other declared command contains; a case naming a fact the module does
 * not read fails, so a typo cannot leave a fact silently at its default.
 *
 * @param name TYPE/CASE, the file's path under modules/
 * @param module the built-in module of that type (or {@code timezone}, docs/modules.md's example)
 * @param params the case's params, checked against the module's declarations
 * @param facts the facts, complete for what the module declares
 * @param expect the {@code expect} map as written
 */
record ModuleCase(String name, Module module, Params params, FactSet facts, Map<String, Object> expect) {

  static final Path ROOT = Path.of("src/test/resources/modules");

  static List<ModuleCase> all() {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files.filter(p -> p.toString().endsWith(".yml")).sorted().map(ModuleCase::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Change change() {
    return module.diff(params, facts);
  }

  /** The content a path has before the change: a file fact, or a file inside a listing. */
  Optional<String> before(String path) {
    for (Map.Entry<Fact, FactResult> e : facts.asRead().entrySet()) {
      if (e.getKey() instanceof Fact.File f && f.path().equals(path)) {
        return e.getValue() instanceof FactResult.Content c ? Optional.of(c.text()) : Optional.empty();
      }
      if (e.getKey() instanceof Fact.Files g && g.matches(path) && e.getValue() instanceof FactResult.Output o) {
        String text = FileListing.parse(o.text()).get(path);
        if (text != null) {
          return Optional.of(text);
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return name;
  }

  @SuppressWarnings("unchecked")
  static ModuleCase read(Path file) {
    String name = ROOT.relativize(file).toString().replaceFirst("\\.yml$", "");
    Map<String, Object> doc;
    try {
      doc = (Map<String, Object>) new Load(LoadSettings.builder().build())
          .loadFromString(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String type = name.substring(0, name.indexOf('/'));
    Module module = Builtins.registry().register(new Timezone()).find(type)
        .orElseThrow(() -> new IllegalArgumentException(name + ": no module of type " + type));
    Params params = Params.of((Map<String, ?>) doc.getOrDefault("params", Map.of()), module.params());
    Map<String, Object> given = (Map<String, Object>) doc.getOrDefault("facts", Map.of());
    Map<String, Object> files = new LinkedHashMap<>((Map<String, Object>) given.getOrDefault("files", Map.of()));
    List<Map<String, Object>> commands =
        new ArrayList<>((List<Map<String, Object>>) given.getOrDefault("commands", List.of()));
    Map<String, Map<String, String>> listings =
        new LinkedHashMap<>((Map<String, Map<String, String>>) given.getOrDefault("listings", Map.of()));

    List<Fact> declared = module.facts(params);
    Map<Fact, FactResult> read = new LinkedHashMap<>();
    for (Fact fact : declared) {
      if (fact instanceof Fact.File f) {
        boolean has = files.containsKey(f.path());
        Object text = files.remove(f.path());
        read.put(f, has && text != null ? FactResult.content((String) text) : new FactResult.Missing());
      } else if (fact instanceof Fact.Files g) {
        Map<String, String> listed = listings.remove(g.glob());
        read.put(g, FactResult.output(0, listed == null ? "" : FileListing.render(listed)));
      } else {
        read.put(fact, FactResult.output(0, ""));
      }
    }
    for (Map<String, Object> cmd : commands) {
      String match = (String) cmd.get("match");
      List<Fact> hits = declared.stream()
          .filter(f -> f instanceof Fact.Command c && c.script().contains(match)).toList();
      if (hits.size() != 1) {
        throw new IllegalArgumentException(name + ": match '" + match + "' names " + hits.size()
            + " of the module's command facts, not one: " + declared);
      }
      Object out = cmd.getOrDefault("output", "");
      read.put(hits.get(0), FactResult.output((Integer) cmd.getOrDefault("exit", 0), (String) out));
    }
    if (!files.isEmpty() || !listings.isEmpty()) {
      throw new IllegalArgumentException(name + ": the module does not read " + files.keySet()
          + listings.keySet() + "; it reads " + declared);
    }
    return new ModuleCase(name, module, params, FactSet.of(read),
        (Map<String, Object>) doc.getOrDefault("expect", Map.of()));
  }
}
