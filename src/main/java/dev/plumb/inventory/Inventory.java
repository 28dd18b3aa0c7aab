package dev.plumb.inventory;

import dev.plumb.source.Problems;
import dev.plumb.source.Suggest;
import dev.plumb.source.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The hosts plumb can target, their groups and merged variables, read from an Ansible-style
 * inventory (YAML or INI, a file or a directory) with its {@code group_vars/} and {@code
 * host_vars/}.
 */
public final class Inventory {
  private static final List<String> VAR_EXTENSIONS = List.of(".yml", ".yaml", ".json", "");

  private final List<Host> hosts;
  private final Map<String, Set<String>> members;
  private final Path directory;

  Inventory(List<Host> hosts, Map<String, Set<String>> members, Path directory) {
    this.hosts = List.copyOf(hosts);
    this.members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    this.directory = directory;
  }

  /** No inventory given: one host {@code localhost}, reached without SSH. */
  public static Inventory implicit() {
    Map<String, Value> vars = Map.of("ansible_connection", Value.of("local"));
    Host local = new Host("localhost", List.of(InventoryBuilder.ALL), vars);
    return new Inventory(List.of(local), Map.of(InventoryBuilder.ALL, Set.of("localhost")),
        Path.of("").toAbsolutePath());
  }

  /** Reads an inventory; throws {@link dev.plumb.source.InputException} with every problem. */
  public static Inventory load(Path path) {
    Problems problems = new Problems();
    Inventory inventory = read(path, problems);
    problems.throwIfErrors();
    return inventory;
  }

  /** Reads an inventory, adding problems (errors and warnings) to {@code problems}. */
  public static Inventory read(Path path, Problems problems) {
    InventoryBuilder builder = new InventoryBuilder();
    Path dir;
    if (Files.isDirectory(path)) {
      dir = path;
      List<Path> files = inventoryFiles(path, problems);
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
    Path base = Files.isDirectory(path) ? path : path.getParent() == null ? Path.of("") : path.getParent();
    readVarsDirs(base, builder, problems);
    return builder.build(dir.toAbsolutePath(), problems);
  }

  /** Every host, in inventory order. */
  public List<Host> hosts() {
    return hosts;
  }

  public Optional<Host> host(String name) {
    return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
  }

  /** Group names, {@code all} first. */
  public Set<String> groups() {
    return members.keySet();
  }

  /** Hosts of a group, including those of its child groups; empty for an unknown group. */
  public Set<String> hostsOf(String group) {
    return members.getOrDefault(group, Set.of());
  }

  /** The inventory's directory: relative paths in its variables are relative to files in it. */
  public Path directory() {
    return directory;
  }

  private static List<Path> inventoryFiles(Path dir, Problems problems) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> {
            String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
            return n.endsWith(".yml") || n.endsWith(".yaml") || n.endsWith(".ini") || n.endsWith(".json") || !n.contains(".");
          })
          .sorted()
          .toList();
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
      Yaml.parse(text, file.toString(), problems).ifPresent(v -> new YamlInventory(builder, problems, dir).read(v));
    }
  }

  static boolean isIni(Path file, String text) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".yml") || name.endsWith(".yaml") || name.endsWith(".json")) {
      return false;
    }
    if (name.endsWith(".ini")) {
      return true;
    }
    for (String line : text.split("\r?\n")) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#") || t.startsWith(";") || t.equals("---")) {
        continue;
      }
      // YAML inventories start with "group:"; INI with "[group]" or a host line.
      return t.startsWith("[") || !t.endsWith(":") && !t.contains(": ");
    }
    return false;
  }

  private static void readVarsDirs(Path base, InventoryBuilder builder, Problems problems) {
    Path groupVars = base.resolve("group_vars");
    Path hostVars = base.resolve("host_vars");
    for (String group : List.copyOf(builder.groupNames())) {
      varsFiles(groupVars, group, problems).forEach(f -> varsFile(f, problems)
          .ifPresent(v -> builder.groupVars(group, v, true, f.toAbsolutePath().getParent())));
    }
    for (String host : List.copyOf(builder.hostNames())) {
      varsFiles(hostVars, host, problems).forEach(f -> varsFile(f, problems)
          .ifPresent(v -> builder.hostVars(host, v, true, f.toAbsolutePath().getParent())));
    }
    warnOrphans(groupVars, builder.groupNames(), "group", problems);
    warnOrphans(hostVars, builder.hostNames(), "host", problems);
  }

  /** {@code <name>.yml}, {@code .yaml}, {@code .json}, no extension, or a directory of them. */
  private static List<Path> varsFiles(Path dir, String name, Problems problems) {
    List<Path> out = new ArrayList<>();
    for (String ext : VAR_EXTENSIONS) {
      Path f = dir.resolve(name + ext);
      if (Files.isRegularFile(f)) {
        out.add(f);
      }
    }
    Path sub = dir.resolve(name);
    if (Files.isDirectory(sub)) {
      try (Stream<Path> list = Files.list(sub)) {
        list.filter(Files::isRegularFile).filter(Inventory::isVarsFile).sorted().forEach(out::add);
      } catch (IOException e) {
        problems.error(dev.plumb.source.Mark.nowhere(sub.toString()), "cannot list directory: " + e.getMessage(),
            "check its permissions");
      }
    }
    return out;
  }

  private static boolean isVarsFile(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".yml") || n.endsWith(".yaml") || n.endsWith(".json");
  }

  private static Optional<Map<String, Value>> varsFile(Path file, Problems problems) {
    Optional<Value> root = Yaml.read(file, problems);
    if (root.isEmpty() || root.get() instanceof Value.Null) {
      return Optional.empty();
    }
    if (root.get() instanceof Value.Map m) {
      return Optional.of(m.entries());
    }
    problems.error(root.get().mark(), "a variables file must be a mapping, got " + root.get().kind(),
        "write 'name: value' lines");
    return Optional.empty();
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
