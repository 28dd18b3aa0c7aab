package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Change;
import dev.plumb.modules.Module;
import dev.plumb.modules.Params;
import dev.plumb.source.Problems;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fixture facts for a module: every declared fact defaults to a missing file or empty output. */
final class Fixtures {
  private final Module module;
  private final Params params;
  private final Map<Fact, FactResult> results = new LinkedHashMap<>();

  private Fixtures(Module module, Params params) {
    this.module = module;
    this.params = params;
    for (Fact f : module.facts(params)) {
      results.put(f, f instanceof Fact.File ? new FactResult.Missing() : FactResult.output(0, ""));
    }
  }

  static Fixtures of(Module module, Map<String, ?> plain) {
    return new Fixtures(module, params(module, plain));
  }

  static Params params(Module module, Map<String, ?> plain) {
    return Params.of(plain, module.params());
  }

  static Problems validate(Module module, Map<String, ?> plain) {
    Problems p = new Problems();
    module.validate(params(module, plain), p);
    return p;
  }

  Fixtures file(String path, String text) {
    return put(Fact.file(path), FactResult.content(text));
  }

  /** A file that exists but this login may not read (mode 0600 without become). */
  Fixtures unreadable(String path) {
    return put(Fact.file(path), new FactResult.Unreadable());
  }

  Fixtures cmd(Fact.Command fact, int exit, String out) {
    return put(fact, FactResult.output(exit, out));
  }

  /** The files a listing fact reads, path to content. */
  Fixtures files(dev.plumb.facts.FactDef<?> listing, Map<String, String> files) {
    return put(listing.fact(), new FactResult.Output(0, dev.plumb.facts.FileListing.render(files)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  Fixtures cmd(Fact.Command fact, String out) {
    return cmd(fact, 0, out);
  }

  /** {@link NextKernel#FACT}'s output, as {@link #kernels(String, String)} writes it. */
  Fixtures kernels(String output) {
    return cmd((Fact.Command) NextKernel.FACT.fact(), output);
  }

  /**
   * What {@link NextKernel#FACT} prints for a host running {@code running} whose boot loader
   * (grubby) starts {@code next} (null: no boot loader entry read), headers installed for both.
   */
  static String kernels(String running, String next) {
    StringBuilder out = new StringBuilder("running " + running + "\n");
    if (next != null) {
      out.append("tool grubby\ngrubby /boot/vmlinuz-").append(next).append("\n");
    }
    for (String k : next == null || next.equals(running) ? List.of(running) : List.of(running, next)) {
      out.append("kernel ").append(k).append("\nheaders ").append(k).append("\n");
    }
    return out.toString();
  }

  Fixtures tools(String... names) {
    return cmd(GpuFacts.TOOLS, String.join("\n", names) + "\n");
  }

  Fixtures loaded(String... names) {
    return cmd(GpuFacts.LOADED_MODULES, String.join("\n", names) + "\n");
  }

  private Fixtures put(Fact fact, FactResult r) {
    if (!results.containsKey(fact)) {
      throw new IllegalArgumentException("module does not declare " + fact);
    }
    results.put(fact, r);
    return this;
  }

  FactSet facts() {
    return FactSet.of(results);
  }

  Change diff() {
    return module.diff(params, facts());
  }

  /** The facts after the change's predicted writes. */
  FactSet after(Change change) {
    FactSet f = facts();
    for (Map.Entry<String, FactResult> e : change.writes().entrySet()) {
      f = f.withFile(e.getKey(), e.getValue());
    }
    return f;
  }

  Change diffAfter(Change change) {
    return module.diff(params, after(change));
  }

  static List<String> shown(Change c) {
    return c.commands().stream().map(dev.plumb.modules.Command::shown).toList();
  }
}
