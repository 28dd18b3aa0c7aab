package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.FileChange;
import dev.plumb.modules.IniDocument;
import dev.plumb.modules.Module;
import dev.plumb.modules.ModuleSpec;
import dev.plumb.modules.Param;
import dev.plumb.modules.Params;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Problems;
import dev.plumb.source.Value;
import dev.plumb.text.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code nova_pci}: nova.conf's PCI passthrough options under the names the OpenStack release uses:
 * the whitelist (device_spec) on computes, aliases, and PciPassthroughFilter for the scheduler.
 * Values compare as JSON; the rest of the file is kept byte for byte.
 */
public final class NovaPci implements Module {
  static final String FILTER = "PciPassthroughFilter";

  private static final ModuleSpec SPEC = ModuleSpec.of("nova_pci",
      "nova.conf PCI passthrough: whitelist/device_spec, aliases and PciPassthroughFilter, per release", "openstack_release",
      Param.required("openstack_release", Param.Type.STRING, "the release, e.g. mitaka, ocata … zed, 2023.1: picks the option names"),
      Param.optional("path", Param.Type.STRING, "/etc/nova/nova.conf", "the nova config file"),
      Param.optional("whitelist", Param.Type.LIST, null,
          "devices nova-compute may pass through, each a mapping, e.g. {vendor_id: \"10de\", product_id: \"1b80\"} (one line each)"),
      Param.optional("aliases", Param.Type.LIST, null,
          "aliases for flavors, each a mapping with name, e.g. {vendor_id: \"10de\", product_id: \"1b80\", name: nvidia}"),
      Param.optional("filters_add", Param.Type.STRINGS, FILTER, "scheduler filters to add to the enabled ones (others are kept)"),
      Param.optional("role", Param.Type.STRING, "both",
          "compute (whitelist, aliases), controller (aliases, filters) or both"));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public void validate(Params params, Problems problems) {
    String release = params.string("openstack_release");
    String unknown = NovaRelease.unknown(release);
    if (unknown != null) {
      problems.error(params.mark("openstack_release"), unknown, "use a series name (mitaka, queens, zed, …) or a number (2023.1, …)");
    }
    NovaRelease.of(release).ifPresent(r -> {
      for (KernelCmdline.TokenAt f : KernelCmdline.tokens(params, "filters_add")) {
        r.filterProblem(f.text()).ifPresent(m -> problems.error(f.mark(), m + ", so nova-scheduler would not start" + r.filterSuggestion(f.text()),
            "use a filter class of " + r.name() + " (nova/scheduler/filters at " + r.tag() + ")"));
      }
    });
    String role = params.string("role");
    if (!List.of("compute", "controller", "both").contains(role)) {
      problems.error(params.mark("role"), "role must be compute, controller or both, not '" + role + "'", "role: compute");
    }
    checkMaps(params, "whitelist", problems, false);
    checkMaps(params, "aliases", problems, true);
    if (!role.equals("controller") && params.items("whitelist").isEmpty()) {
      problems.error(params.mark(), "nova_pci with role " + role + " needs a whitelist", "whitelist: [{vendor_id: \"10de\", product_id: \"1b80\"}]");
    }
    if (!params.items("aliases").isEmpty() && !role.equals("compute") && !params.strings("filters_add").contains(FILTER)) {
      problems.error(params.mark("filters_add"), "aliases are declared but filters_add leaves out " + FILTER
          + ": the scheduler would place PCI flavors on hosts without the device", "add " + FILTER + " to filters_add");
    }
    if (params.strings("filters_add").stream().anyMatch(f -> !f.matches("[A-Za-z0-9_.]+"))) {
      problems.error(params.mark("filters_add"), "a filter name is a class name like " + FILTER, null);
    }
  }

  private static void checkMaps(Params params, String name, Problems problems, boolean needName) {
    for (Value v : params.items(name)) {
      if (!(v instanceof Value.Map m)) {
        problems.error(v.mark(), name + " entries are mappings, e.g. {vendor_id: \"10de\", product_id: \"1b80\"}", null);
      } else if (needName && m.get("name").isEmpty()) {
        problems.error(m.mark(), "an alias needs a name (flavors refer to it: pci_passthrough:alias=<name>:1)", "add name: nvidia");
      }
    }
  }

  @Override
  public List<Fact> facts(Params params) {
    return List.of(Fact.file(params.string("path")));
  }

  @Override
  public Set<String> writes(Params params) {
    return Set.of(params.string("path"));
  }

  static List<Object> plain(Params params, String name) {
    return params.items(name).stream().map(Value::toPlain).toList();
  }

  /** The option's values as JSON objects (a value may hold one object or a list of them). */
  static Optional<List<Object>> asObjects(List<String> values) {
    List<Object> out = new ArrayList<>();
    for (String v : values) {
      try {
        Object o = Json.parse(v);
        if (o instanceof List<?> l) {
          out.addAll(l);
        } else {
          out.add(o);
        }
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return Optional.of(out);
  }

  /** Equal as a set of JSON values: order, spacing and key order do not matter. */
  static boolean sameJson(List<String> have, List<Object> want) {
    Optional<List<Object>> objects = asObjects(have);
    if (objects.isEmpty() || objects.get().size() != want.size()) {
      return false;
    }
    List<Object> rest = new ArrayList<>(objects.get());
    for (Object w : want) {
      int i = -1;
      for (int k = 0; k < rest.size(); k++) {
        if (Json.sameValue(rest.get(k), w)) {
          i = k;
          break;
        }
      }
      if (i < 0) {
        return false;
      }
      rest.remove(i);
    }
    return true;
  }

  static IniDocument setJson(IniDocument conf, NovaRelease.Option option, List<Object> want) {
    if (sameJson(conf.values(option.section(), option.name()), want)) {
      return conf;
    }
    return conf.set(option.section(), option.name(), want.stream().map(Json::write).toList());
  }

  static String restarted(String role) {
    return switch (role) {
      case "compute" -> "nova-compute";
      case "controller" -> "nova-api, nova-scheduler";
      default -> "nova-compute, nova-api, nova-scheduler";
    };
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    String path = params.string("path");
    NovaRelease release = NovaRelease.of(params.string("openstack_release")).orElseThrow();
    String role = params.string("role");
    Optional<FactResult.Content> file = facts.file(path);
    if (file.isEmpty()) {
      return Change.of(Action.UPDATE, "absent", path, List.of()).withBlocker(path + " is missing: is nova installed on this host?");
    }
    String old = file.get().text();
    IniDocument conf = IniDocument.parse(old);
    List<String> notes = new ArrayList<>();
    if (!role.equals("controller")) {
      conf = setJson(conf, release.whitelist(), plain(params, "whitelist"));
      for (NovaRelease.Option o : release.oldWhitelists()) {
        if (!conf.values(o.section(), o.name()).isEmpty()) {
          notes.add(o + " is also set; " + params.string("openstack_release") + " reads " + release.whitelist() + ": remove the other one");
        }
      }
    }
    if (!params.items("aliases").isEmpty()) {
      conf = setJson(conf, release.alias(), plain(params, "aliases"));
    }
    List<String> blockers = new ArrayList<>();
    if (!role.equals("compute")) {
      SchedulerFilters filters = SchedulerFilters.of(conf, release, params.strings("filters_add"));
      notes.addAll(filters.notes());
      for (String name : filters.names()) {
        release.filterProblem(name).ifPresent(m -> blockers.add(filters.option() + " names " + name + " and " + m
            + ", so nova-scheduler would not start: remove it from " + path + release.filterSuggestion(name)));
      }
      if (filters.write()) {
        conf = conf.set(filters.option().section(), filters.option().name(), List.of(String.join(",", filters.names())));
      }
    }
    String text = conf.render();
    String after = "PCI passthrough for " + release.name() + " (" + role + ")";
    if (!blockers.isEmpty()) {
      Change c = Change.of(Action.UPDATE, path, after, List.of());
      for (String b : blockers) {
        c = c.withBlocker(b);
      }
      return c;
    }
    if (text.equals(old)) {
      Change none = Change.none(after);
      for (String n : notes) {
        none = none.withNote(n);
      }
      return none;
    }
    Change c = Change.of(Action.UPDATE, path, after, List.of()).plus(FileChange.write(path, file.get(), text, null))
        .withTakesEffect(TakesEffect.afterRestart(restarted(role)));
    for (String n : notes) {
      c = c.withNote(n);
    }
    return c;
  }
}
