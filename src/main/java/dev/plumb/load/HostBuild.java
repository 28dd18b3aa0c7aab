package dev.plumb.load;

import dev.plumb.inventory.Host;
import dev.plumb.modules.HostLint;
import dev.plumb.modules.Module;
import dev.plumb.modules.Params;
import dev.plumb.source.Mark;
import dev.plumb.source.Problems;
import dev.plumb.source.Suggest;
import dev.plumb.source.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resources of one host: declarations of every play that targets it, substituted with that
 * play's scope, given ids, then checked together (duplicates, requires, notify, module
 * validation, host lints; cycles and the writers of one file in {@link ResourceChecks}).
 *
 * <p>A little over 250 lines: ids, references and their "did you mean" all read the same map of
 * what was built, so they stay with it.
 */
final class HostBuild {
  private record Ref(String text, Mark mark) {}

  private record Built(Playbook.Decl decl, String id, String name, boolean named, Params params, List<Ref> requires,
      List<Ref> notifies, Set<String> tags, Duration timeout, int order) {}

  private final Host host;
  private final Problems problems;
  private final Map<String, Built> byId = new LinkedHashMap<>();
  /** Names and type prefixes of declarations that could not be built: references to them are not reported again. */
  private final Set<String> broken = new HashSet<>();
  private int order;

  private final Set<String> sensitive = new LinkedHashSet<>();

  /** The texts of sensitive values used in this host's resources (built from sensitive variables). */
  Set<String> sensitiveTexts() {
    return sensitive;
  }

  HostBuild(Host host, Problems problems) {
    this.host = host;
    this.problems = problems;
  }

  void add(Playbook.Play play, Scope scope) {
    for (Playbook.Decl decl : play.decls()) {
      add(decl, play, scope);
    }
  }

  private void add(Playbook.Decl decl, Playbook.Play play, Scope scope) {
    Module module = decl.module();
    int at = order++;
    Optional<Value> resolved = scope.resolve(decl.params(), problems);
    Optional<String> name = decl.name() == null ? Optional.empty() : scalar(decl.name(), "name", scope);
    Value.Map params = (Value.Map) resolved.orElse(decl.params());
    Value.sensitiveTexts(params, sensitive);
    if (resolved.isPresent()) {
      ParamCheck.check(module, params, decl.mark(), problems);
    }
    String id = id(decl, module, params, name, resolved.isPresent());
    if (id == null) {
      name.ifPresent(broken::add);
      broken.add(module.type() + "[");
      return;
    }
    Built first = byId.get(id);
    if (first != null) {
      problems.error(decl.mark(), "duplicate resource id '" + id + "' (first declared at " + first.decl().mark() + ")",
          "give one of them a different name: (ids must be unique on a host), or remove one");
      return;
    }
    Set<String> tags = new LinkedHashSet<>(play.tags());
    tags.addAll(refs(decl.tags(), "tags", scope).stream().map(Ref::text).toList());
    String shownName = name.orElseGet(() -> id.substring(module.type().length() + 1, id.length() - 1));
    byId.put(id, new Built(decl, id, shownName, name.isPresent(), new Params(params, module.params()),
        refs(decl.requires(), "requires", scope), refs(decl.notifies(), "notify", scope), tags,
        timeout(decl.timeout(), scope), at));
  }

  private String id(Playbook.Decl decl, Module module, Value.Map params, Optional<String> name, boolean substituted) {
    if (name.isPresent()) {
      return module.type() + "[" + name.get() + "]";
    }
    if (decl.name() != null) {
      return null; // the name itself was bad, already reported
    }
    String key = module.keyParam();
    if (key == null) {
      problems.error(decl.mark(), "give this resource a name: " + module.type() + " has no parameter that names it",
          "add 'name: …' beside '" + module.type() + ":'");
      return null;
    }
    Value v = params.entries().get(key);
    if (v instanceof Value.Scalar s) {
      return module.type() + "[" + s.text() + "]";
    }
    // A list of strings (packages: {names: [a, b]}) names the resource by its items.
    if (v instanceof Value.Seq seq && !seq.items().isEmpty() && seq.items().stream().allMatch(Value.Scalar.class::isInstance)) {
      return module.type() + "[" + String.join(",", seq.items().stream().map(i -> ((Value.Scalar) i).text()).toList()) + "]";
    }
    if (v instanceof Value.Seq || v instanceof Value.Map) {
      problems.error(decl.mark(), "give this resource a name: its '" + key + "' is " + v.kind() + ", which cannot name it",
          "add 'name: …' beside '" + module.type() + ":'");
      return null;
    }
    boolean required = module.params().stream().anyMatch(p -> p.name().equals(key) && p.required());
    if (substituted && !required && (v == null || v instanceof Value.Null)) {
      problems.error(decl.mark(), "give this resource a name, or set '" + key + "'",
          "add 'name: …' beside '" + module.type() + ":' or set " + key + ": …");
    }
    return null; // a missing or mistyped required key is reported by the parameter check
  }

  private Optional<String> scalar(Value raw, String what, Scope scope) {
    Optional<Value> v = scope.resolve(raw, problems);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (v.get() instanceof Value.Scalar s && !s.text().isEmpty()) {
      return Optional.of(s.text());
    }
    problems.error(v.get().mark(), what + " must be a non-empty string, got " + ParamCheck.describe(v.get()),
        "write " + what + ": <text>");
    return Optional.empty();
  }

  /** A string or a list of strings (requires, notify, tags), substituted. */
  private List<Ref> refs(Value raw, String what, Scope scope) {
    if (raw == null || raw instanceof Value.Null) {
      return List.of();
    }
    Optional<Value> v = scope.resolve(raw, problems);
    if (v.isEmpty()) {
      return List.of();
    }
    List<Value> items = v.get() instanceof Value.Seq seq ? seq.items() : List.of(v.get());
    List<Ref> out = new ArrayList<>();
    for (Value item : items) {
      if (item instanceof Value.Scalar s) {
        out.add(new Ref(s.text(), s.mark()));
      } else {
        problems.error(item.mark(), what + " takes a string or a list of strings, got " + item.kind(),
            "write " + what + ": [a, b]");
      }
    }
    return out;
  }

  private Duration timeout(Value raw, Scope scope) {
    if (raw == null || raw instanceof Value.Null) {
      return Duration.ZERO;
    }
    Optional<Value> v = scope.resolve(raw, problems);
    if (v.isEmpty()) {
      return Duration.ZERO;
    }
    Optional<Duration> d = v.get() instanceof Value.Scalar s ? Durations.parse(s.text()) : Optional.empty();
    if (d.isEmpty()) {
      problems.error(v.get().mark(), "timeout must be a number of seconds or a duration like 90s, 5m, 1h, got "
          + ParamCheck.describe(v.get()), "write e.g. timeout: 300 or timeout: 5m");
      return Duration.ZERO;
    }
    return d.get();
  }

  /** Resolves references, checks the whole host, and returns its resources in declaration order. */
  List<Resource> finish(List<HostLint> lints) {
    List<Resource> out = new ArrayList<>();
    for (Built b : byId.values()) {
      List<String> requires = resolve(b.requires(), false);
      List<String> notifies = resolve(b.notifies(), true);
      out.add(new Resource(b.id(), b.name(), b.decl().module(), b.params(), requires, notifies, b.tags(),
          b.decl().handler(), b.decl().mark(), b.order(), b.timeout()));
    }
    ResourceChecks.cycles(out, problems);
    for (Resource r : out) {
      try {
        r.module().validate(r.params(), problems);
      } catch (RuntimeException e) {
        // A module's checks may assume what the parameter check already refused (a required
        // parameter given as null); that error is the one to show. Otherwise say what failed.
        if (!problems.hasErrors()) {
          problems.error(r.mark(), "cannot check the parameters of " + r.id() + ": " + e.getMessage(),
              "compare them with `plumb modules " + r.type() + "`");
        }
      }
    }
    ResourceChecks.oneWriterPerOwnedFile(out, problems);
    List<HostLint.Declared> declared = out.stream().map(r -> new HostLint.Declared(r.id(), r.module(), r.params(), r.notifies())).toList();
    for (HostLint lint : lints) {
      try {
        lint.check(declared, problems);
      } catch (RuntimeException e) {
        if (!problems.hasErrors()) {
          problems.error(Mark.nowhere("playbook"), "cannot run a check on this host's resources: " + e.getMessage(),
              "check the resources' parameters with `plumb modules`");
        }
      }
    }
    return out;
  }

  private List<String> resolve(List<Ref> refs, boolean handlers) {
    List<String> ids = new ArrayList<>();
    for (Ref ref : refs) {
      Built target = byId.get(ref.text());
      if (target == null) {
        target = byId.values().stream().filter(b -> b.named() && b.name().equals(ref.text())
            && b.decl().handler() == handlers).findFirst().orElse(null);
      }
      if (target == null) {
        if (!isBroken(ref.text())) {
          unknown(ref, handlers);
        }
        continue;
      }
      if (target.decl().handler() != handlers) {
        problems.error(ref.mark(), handlers
            ? "notify '" + ref.text() + "': " + target.id() + " is a resource, not a handler"
            : "requires '" + ref.text() + "': " + target.id() + " is a handler; a resource can only require resources",
            handlers ? "move it under handlers:, or use requires: to order after it" : "use notify: to run a handler");
        continue;
      }
      if (!ids.contains(target.id())) {
        ids.add(target.id());
      }
    }
    return ids;
  }

  private boolean isBroken(String ref) {
    return broken.contains(ref) || broken.stream().anyMatch(p -> p.endsWith("[") && ref.startsWith(p));
  }

  private void unknown(Ref ref, boolean handlers) {
    List<String> candidates = new ArrayList<>();
    byId.values().stream().filter(b -> b.decl().handler() == handlers).forEach(b -> {
      candidates.add(b.id());
      if (b.named()) {
        candidates.add(b.name());
      }
    });
    if (handlers) {
      problems.error(ref.mark(), "unknown handler '" + ref.text() + "' in notify",
          Suggest.didYouMean(ref.text(), candidates) + (candidates.isEmpty()
              ? "declare it under handlers: in a play for this host"
              : "handlers for this host: " + String.join(", ", candidates)));
    } else {
      problems.error(ref.mark(), "requires '" + ref.text() + "': no resource with this id or name on this host",
          Suggest.didYouMean(ref.text(), candidates) + "write an id like file[/etc/x] or a resource's name; this host has: "
              + String.join(", ", candidates));
    }
  }

  Host host() {
    return host;
  }
}
