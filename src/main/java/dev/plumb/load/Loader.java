package dev.plumb.load;

import dev.plumb.inventory.Host;
import dev.plumb.inventory.HostPattern;
import dev.plumb.inventory.Inventory;
import dev.plumb.modules.Module;
import dev.plumb.modules.ModuleRegistry;
import dev.plumb.source.Mark;
import dev.plumb.source.Problem;
import dev.plumb.source.Problems;
import dev.plumb.source.Suggest;
import dev.plumb.source.Value;
import dev.plumb.text.Sensitive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a playbook, its inventory and YAML modules into a {@link Catalog}, or throws {@link
 * dev.plumb.source.InputException} with every problem found (each with file:line:col and a fix).
 */
public final class Loader {
  private Loader() {}

  /** Loads without YAML modules (their {@code modules/} directory is still checked). */
  public static Catalog load(LoadRequest request) {
    return load(request, null);
  }

  /**
   * Loads; {@code yamlModules} turns each {@code modules/*.yml} spec into a {@link Module}
   * (null: specs are read and checked but not registered).
   */
  public static Catalog load(LoadRequest request, Function<YamlModuleSpec, Module> yamlModules) {
    Problems problems = new Problems();
    ModuleRegistry registry = ModuleRegistry.empty();
    request.modules().all().forEach(registry::register);
    request.modules().lints().forEach(registry::register);
    Set<String> brokenTypes = new HashSet<>();
    YamlModules.directoryFor(request.playbook()).ifPresent(dir ->
        registerYamlModules(YamlModules.read(dir, brokenTypes, problems), yamlModules, registry, problems));

    Inventory inventory = request.inventory().map(p -> Inventory.read(p, problems)).orElseGet(Inventory::implicit);
    Map<String, Value> extra = ExtraVars.parse(request.extraVars(), problems);
    List<Playbook.Play> plays = Playbook.read(request.playbook(), registry, brokenTypes, problems);
    Set<String> limit = limit(request, inventory, problems);

    Map<Playbook.Play, Set<String>> targets = new LinkedHashMap<>();
    Map<String, List<Playbook.Play>> playsByHost = new LinkedHashMap<>();
    inventory.hosts().forEach(h -> playsByHost.put(h.name(), new ArrayList<>()));
    for (Playbook.Play play : plays) {
      HostPattern pattern = HostPattern.parse(play.hosts());
      List<Host> hosts = pattern.select(inventory);
      if (hosts.isEmpty()) {
        warnNoHosts(play, pattern, inventory, problems);
      }
      Set<String> targeted = new LinkedHashSet<>();
      hosts.stream().filter(h -> limit.contains(h.name())).forEach(h -> {
        playsByHost.get(h.name()).add(play);
        targeted.add(h.name());
      });
      targets.put(play, targeted);
    }

    List<HostCatalog> catalogs = new ArrayList<>();
    Set<String> secrets = new LinkedHashSet<>();
    Map<Problem, Set<String>> hostProblems = new LinkedHashMap<>();
    for (Host host : inventory.hosts()) {
      List<Playbook.Play> hostPlays = playsByHost.get(host.name());
      if (hostPlays.isEmpty()) {
        continue;
      }
      Problems own = new Problems();
      HostBuild build = new HostBuild(host, own);
      for (Playbook.Play play : hostPlays) {
        Scope scope = new Scope(scopeVars(host, play.vars(), extra, inventory, request.playbook()), play.sensitive());
        build.add(play, scope);
        secrets.addAll(scope.sensitiveTexts());
      }
      secrets.addAll(build.sensitiveTexts());
      List<Resource> resources = build.finish(registry.lints());
      Host resolved = connectionHost(host, extra, inventory, request.playbook(), own);
      RebootTimeout.check(resolved, own);
      for (Problem p : own.all()) {
        hostProblems.computeIfAbsent(p, k -> new LinkedHashSet<>()).add(host.name());
      }
      catalogs.add(new HostCatalog(resolved, filterTags(resources, request.tags())));
    }
    Set<String> everyHost = new LinkedHashSet<>();
    catalogs.forEach(c -> everyHost.add(c.host().name()));
    hostProblems.forEach((p, hosts) ->
        problems.add(hosts.equals(expectedHosts(p.mark(), request.playbook(), targets, everyHost)) ? p : onHosts(p, hosts)));

    Problems unique = new Problems();
    new LinkedHashSet<>(problems.all()).forEach(unique::add);
    unique.throwIfErrors();
    return new Catalog(request.playbook(), catalogs, unique.all(), Sensitive.of(secrets));
  }

  private static void registerYamlModules(List<YamlModuleSpec> specs, Function<YamlModuleSpec, Module> factory,
      ModuleRegistry registry, Problems problems) {
    if (factory == null) {
      return;
    }
    for (YamlModuleSpec spec : specs) {
      if (registry.has(spec.type())) {
        problems.error(spec.mark(), "resource type '" + spec.type() + "' is already defined by plumb",
            "rename this module (type: …)");
        continue;
      }
      registry.register(factory.apply(spec));
    }
  }

  private static Set<String> limit(LoadRequest request, Inventory inventory, Problems problems) {
    Set<String> names = new LinkedHashSet<>();
    if (request.limit().isEmpty()) {
      inventory.hosts().forEach(h -> names.add(h.name()));
      return names;
    }
    HostPattern pattern = HostPattern.parse(request.limit().get());
    pattern.select(inventory).forEach(h -> names.add(h.name()));
    if (names.isEmpty()) {
      problems.error(Mark.nowhere("--limit " + request.limit().get()), "the limit matches no host in the inventory",
          fixFor(pattern, inventory));
    }
    return names;
  }

  private static void warnNoHosts(Playbook.Play play, HostPattern pattern, Inventory inventory, Problems problems) {
    problems.warning(play.hostsMark(), "hosts pattern '" + play.hosts() + "' matches no host; this play does nothing",
        fixFor(pattern, inventory));
  }

  private static String fixFor(HostPattern pattern, Inventory inventory) {
    Set<String> names = new LinkedHashSet<>(inventory.groups());
    inventory.hosts().forEach(h -> names.add(h.name()));
    StringBuilder fix = new StringBuilder();
    for (String term : pattern.unmatchedTerms(inventory)) {
      fix.append(Suggest.didYouMean(term, names));
    }
    return fix + "groups: " + String.join(", ", inventory.groups());
  }

  /** Lowest first: the host's inventory vars, the play's vars, -e vars, then the built-ins. */
  private static Map<String, Value> scopeVars(Host host, Map<String, Value> playVars, Map<String, Value> extra,
      Inventory inventory, Path playbook) {
    Map<String, Value> vars = new LinkedHashMap<>(host.vars());
    vars.putAll(playVars);
    vars.putAll(extra);
    Mark builtin = Mark.nowhere("built-in");
    vars.put("inventory_hostname", new Value.Scalar(host.name(), builtin));
    vars.put("group_names", new Value.Seq(host.groups().stream().filter(g -> !g.equals("all")).sorted()
        .map(g -> (Value) new Value.Scalar(g, builtin)).toList(), builtin));
    vars.put("inventory_dir", new Value.Scalar(inventory.directory().toString(), builtin));
    Path dir = playbook.toAbsolutePath().getParent();
    vars.put("playbook_dir", new Value.Scalar(dir == null ? "" : dir.toString(), builtin));
    return vars;
  }

  // The host as the transport sees it: inventory vars with -e over them (a -e ansible_user=x
  // applies, as in Ansible), substituted. Only connection vars (ansible_*) must resolve here;
  // other variables are checked where a resource uses them.
  private static Host connectionHost(Host host, Map<String, Value> extra, Inventory inventory, Path playbook,
      Problems problems) {
    Map<String, Value> vars = new LinkedHashMap<>(host.vars());
    vars.putAll(extra);
    Scope scope = new Scope(scopeVars(host, Map.of(), extra, inventory, playbook));
    Map<String, Value> out = new LinkedHashMap<>();
    vars.forEach((name, value) -> out.put(name, name.startsWith("ansible_") || name.equals(RebootTimeout.VAR)
        ? scope.resolve(value, problems).orElse(value) : scope.resolveQuietly(value)));
    return new Host(host.name(), host.groups(), out);
  }

  /**
   * The hosts a problem at this mark would concern if it were true of all of them: those of the
   * play whose lines contain it, or every host for marks outside the playbook. A problem found
   * on fewer hosts names them.
   */
  private static Set<String> expectedHosts(Mark mark, Path playbook, Map<Playbook.Play, Set<String>> targets,
      Set<String> everyHost) {
    if (!mark.file().equals(playbook.toString())) {
      return everyHost;
    }
    Set<String> found = everyHost;
    for (Map.Entry<Playbook.Play, Set<String>> e : targets.entrySet()) {
      if (e.getKey().mark().line() <= mark.line()) {
        found = e.getValue();
      }
    }
    return found;
  }

  private static Problem onHosts(Problem p, Set<String> hosts) {
    String suffix = hosts.size() == 1 ? " (on host " + hosts.iterator().next() + ")"
        : " (on hosts " + String.join(", ", hosts) + ")";
    return new Problem(p.mark(), p.severity(), p.message() + suffix, p.fix());
  }

  /** With tags asked for: resources carrying one of them (or {@code always}), and every handler. */
  private static List<Resource> filterTags(List<Resource> resources, Set<String> tags) {
    if (tags == null || tags.isEmpty()) {
      return resources;
    }
    List<Resource> kept = resources.stream()
        .filter(r -> r.handler() || r.tags().contains("always") || r.tags().stream().anyMatch(tags::contains))
        .toList();
    Set<String> ids = new HashSet<>();
    kept.forEach(r -> ids.add(r.id()));
    // A dependency left out by the tag filter is taken as already converged.
    return kept.stream().map(r -> new Resource(r.id(), r.name(), r.module(), r.params(),
        r.requires().stream().filter(ids::contains).toList(), r.notifies(), r.tags(), r.handler(), r.mark(),
        r.order(), r.timeout())).toList();
  }
}
