package dev.plumb.inventory;

import dev.plumb.source.Problems;
import dev.plumb.source.Suggest;
import dev.plumb.source.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files of an inventory as ansible-core finds them: the inventory file, or the files of an
 * inventory directory (sorted, recursive, some names skipped), each read as YAML or INI, then the
 * {@code group_vars/} and {@code host_vars/} beside it.
 */
final class InventoryFiles {
  /** find_vars_files: the first of these that exists is used, and only it. */
  private static final List<String> VAR_EXTENSIONS = List.of("", ".yml", ".yaml", ".json");
  private static final List<String> YAML_EXTENSIONS = List.of(".yml", ".yaml", ".json");
  /** Names ansible-core skips in an inventory directory (IGNORED_ALWAYS and INVENTORY_IGNORE_EXTS). */
  private static final java.util.regex.Pattern IGNORED = java.util.regex.Pattern.compile(
      "^\\..*|^host_vars$|^group_vars$|^vars_plugins$|.*(\\.pyc|\\.pyo|\\.swp|\\.bak|~|\\.rpm|\\.md|\\.txt|\\.rst"
          + "|\\.orig|\\.ini|\\.cfg|\\.retry)$");

  private InventoryFiles() {}

  /** Reads an inventory, adding problems (errors and warnings) to {@code problems}. */
  static Inventory read(Path path, Problems problems) {
    InventoryBuilder builder = new InventoryBuilder();
    Path dir;
    if (Files.isDirectory(path)) {
      dir = path;
      List<Path> files = new ArrayList<>();
      inventoryFiles(path, files, problems);
      if (files.isEmpty()) {
        problems.error(dev.plumb.source.Mark.nowhere(path.toString()), "no inventory file in this directory",
            "add hosts.yml (or an INI file) to the directory");
      }
      files.forEach(f -> readFile(f, builder, problems));
    } else if (Files.isRegularFile(path)) {
      dir = path.toAbsolutePath().getParent();
      readFile(path, builder, problems);
    } else {
      problems.error(dev.plumb.source.Mark.nowhere(path.toString()), "inventory not found",
          "give an inventory file or directory that exists (or none, for localhost)");
      return new InventoryBuilder().build(Path.of(""), problems);
    }
    Path base = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
    readVarsDirs(base, builder, problems);
    return builder.build(dir.toAbsolutePath(), problems);
  }

  /** The files of an inventory directory, as ansible-core walks it: sorted, recursive, some names skipped. */
  private static void inventoryFiles(Path dir, List<Path> out, Problems problems) {
    for (Path p : sortedEntries(dir, problems)) {
      if (IGNORED.matcher(p.getFileName().toString()).matches()) {
        continue;
      }
      if (Files.isDirectory(p)) {
        inventoryFiles(p, out, problems);
      } else if (Files.isRegularFile(p)) {
        out.add(p);
      }
    }
  }

  /** A directory's entries sorted by name, as ansible-core lists them; none (and an error) when it cannot be listed. */
  private static List<Path> sortedEntries(Path dir, Problems problems) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    } catch (IOException e) {
      problems.error(dev.plumb.source.Mark.nowhere(dir.toString()), "cannot list directory: " + e.getMessage(),
          "check its permissions");
      return List.of();
    }
  }

  private static void readFile(Path file, InventoryBuilder builder, Problems problems) {
    Path dir = file.toAbsolutePath().getParent();
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      problems.error(dev.plumb.source.Mark.nowhere(file.toString()), "cannot read inventory: " + e.getMessage(),
          "check the path and its permissions");
      return;
    }
    if (isIni(file, text)) {
      new IniInventory(builder, problems, dir).read(text, file.toString());
    } else {
      Yaml.parseDoc(text, file.toString(), problems).ifPresent(d -> new YamlInventory(builder, problems, dir).read(d));
    }
  }

  /**
   * Ansible tries its YAML plugin first on files named *.yml, *.yaml, *.json or without an
   * extension, and its INI plugin after; a file without an extension is YAML only if it reads as a
   * YAML mapping.
   */
  static boolean isIni(Path file, String text) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String ext = extension(name);
    if (YAML_EXTENSIONS.contains(ext)) {
      return false;
    }
    if (!ext.isEmpty()) {
      return true;
    }
    Optional<Value> v = Yaml.parse(text, name, new Problems());
    return !(v.isPresent() && v.get() instanceof Value.Map);
  }

  /** Python's os.path.splitext: the last dot's suffix, none for a leading dot. */
  static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot <= 0 || name.substring(0, dot).chars().allMatch(c -> c == '.') ? "" : name.substring(dot);
  }

  private static void readVarsDirs(Path base, InventoryBuilder builder, Problems problems) {
    Path groupVars = base.resolve("group_vars");
    Path hostVars = base.resolve("host_vars");
    for (String group : List.copyOf(builder.groupNames())) {
      varsFiles(groupVars, group, problems).forEach(f -> varsFile(f, problems)
          .ifPresent(v -> builder.groupVarsFile(group, v, f.toAbsolutePath().getParent())));
    }
    for (String host : List.copyOf(builder.hostNames())) {
      varsFiles(hostVars, host, problems).forEach(f -> varsFile(f, problems)
          .ifPresent(v -> builder.hostVarsFile(host, v, f.toAbsolutePath().getParent())));
    }
    warnOrphans(groupVars, builder.groupNames(), "group", problems);
    warnOrphans(hostVars, builder.hostNames(), "host", problems);
  }

  /** DataLoader.find_vars_files: {@code name}, {@code name.yml}, {@code .yaml}, {@code .json}, first found only. */
  private static List<Path> varsFiles(Path dir, String name, Problems problems) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir) || name.startsWith("/")) {
      return out;
    }
    for (String ext : VAR_EXTENSIONS) {
      Path f = dir.resolve(name + ext);
      if (Files.isDirectory(f)) {
        dirVarsFiles(f, out, problems);
        break;
      }
      if (Files.exists(f)) {
        out.add(f);
        break;
      }
    }
    return out;
  }

  private static void dirVarsFiles(Path dir, List<Path> out, Problems problems) {
    for (Path p : sortedEntries(dir, problems)) {
      String n = p.getFileName().toString();
      if (n.startsWith(".") || n.endsWith("~")) {
        continue;
      }
      String ext = extension(n);
      if (Files.isDirectory(p) && ext.isEmpty()) {
        dirVarsFiles(p, out, problems);
      } else if (Files.isRegularFile(p) && (ext.isEmpty() || YAML_EXTENSIONS.contains(ext))) {
        out.add(p);
      }
    }
  }

  private static Optional<Map<String, InventoryBuilder.Var>> varsFile(Path file, Problems problems) {
    Optional<Yaml.Doc> doc = Yaml.readDoc(file, problems);
    if (doc.isEmpty() || doc.get().value() instanceof Value.Null) {
      return Optional.empty();
    }
    if (doc.get().value() instanceof Value.Map m) {
      return Optional.of(zip(m, doc.get().typed()));
    }
    problems.error(doc.get().value().mark(), "a variables file must be a mapping, got " + doc.get().value().kind(),
        "write 'name: value' lines");
    return Optional.empty();
  }

  /** A mapping's entries with their Ansible-typed values beside them. */
  static Map<String, InventoryBuilder.Var> zip(Value.Map map, Object typed) {
    Map<?, ?> types = typed instanceof Map<?, ?> t ? t : Map.of();
    Map<String, InventoryBuilder.Var> out = new LinkedHashMap<>();
    map.entries().forEach((k, v) -> out.put(k, new InventoryBuilder.Var(v, types.containsKey(k) ? types.get(k) : v.toPlain())));
    return out;
  }

  private static void warnOrphans(Path dir, Set<String> known, String what, Problems problems) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> list = Files.list(dir)) {
      list.sorted().forEach(p -> {
        String n = p.getFileName().toString();
        String name = Files.isDirectory(p) ? n : n.replaceFirst("\\.(ya?ml|json)$", "");
        if (!n.startsWith(".") && !known.contains(name)) {
          problems.warning(dev.plumb.source.Mark.nowhere(p.toString()),
              "no " + what + " named '" + name + "' in the inventory; these variables are not used",
              Suggest.didYouMean(name, known) + "rename the file to match a " + what);
        }
      });
    } catch (IOException e) {
      // Unreadable entries are reported when read; a missing listing only loses the warning.
    }
  }
}
