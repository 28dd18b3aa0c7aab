package dev.plumb.inventory;

import dev.plumb.source.Problems;
import dev.plumb.source.Value;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The hosts plumb can target, their groups and merged variables, read from an Ansible-style
 * inventory (YAML or INI, a file or a directory) with its {@code group_vars/} and {@code
 * host_vars/} (found and read by {@link InventoryFiles}).
 */
public final class Inventory {
  private final List<Host> hosts;
  private final Map<String, Set<String>> members;
  private final Path directory;
  private final AnsibleView view;

  Inventory(List<Host> hosts, Map<String, Set<String>> members, Path directory, AnsibleView view) {
    this.hosts = List.copyOf(hosts);
    this.members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    this.directory = directory;
    this.view = view;
  }

  /** No inventory given: one host {@code localhost}, reached without SSH. */
  public static Inventory implicit() {
    Map<String, Value> vars = Map.of("ansible_connection", Value.of("local"));
    Host local = new Host("localhost", List.of(InventoryBuilder.ALL), vars);
    return new Inventory(List.of(local), Map.of(InventoryBuilder.ALL, Set.of("localhost")),
        Path.of("").toAbsolutePath(), AnsibleView.empty());
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
    return InventoryFiles.read(path, problems);
  }

  /** {@code ansible-inventory --list}: the same JSON, key order and types included. */
  public String ansibleList() {
    return view.list();
  }

  /** {@code ansible-inventory --graph GROUP}; empty when there is no such group. */
  public Optional<String> ansibleGraph(String group) {
    return view.graph(group);
  }

  /** {@code ansible-inventory --host NAME}; empty when there is no such host. */
  public Optional<String> ansibleHost(String name) {
    return view.host(name);
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
}
