package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Module;
import dev.plumb.modules.ModuleSpec;
import dev.plumb.modules.Param;
import dev.plumb.modules.Params;
import dev.plumb.source.Problems;
import dev.plumb.source.Suggest;
import dev.plumb.source.Value;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code assert}: a condition the host must meet at this point of the playbook (between the stages
 * of a migration). It changes nothing: when the condition fails the step is blocked, so apply stops
 * the host there and check reports drift.
 */
public final class Assert implements Module {
  static final List<String> KINDS = List.of("iommu_groups_nonempty", "driver_bound", "module_loaded", "file_contains", "command");

  private static final ModuleSpec SPEC = ModuleSpec.needingName("assert",
      "A condition the host must meet here; blocks the host when it does not",
      Param.required("that", Param.Type.ANY, "iommu_groups_nonempty | {driver_bound: {address, driver}} | {module_loaded: name}"
          + " | {file_contains: {path, text}} | {command: shell} (exit 0; it runs whenever facts are read, so it must change nothing)"),
      Param.optional("message", Param.Type.STRING, null, "what failed, for the operator"));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  /** The parsed condition: its kind and arguments (plain values). */
  record Condition(String kind, Object arg) {
    String arg(String key) {
      return arg instanceof Map<?, ?> m && m.get(key) != null ? String.valueOf(m.get(key)) : null;
    }

    String text() {
      return arg instanceof String s ? s : null;
    }
  }

  static Optional<Condition> condition(Params params) {
    Optional<Value> that = params.value("that");
    if (that.isEmpty()) {
      return Optional.empty();
    }
    if (that.get() instanceof Value.Scalar s) {
      return Optional.of(new Condition(s.text().strip(), null));
    }
    if (that.get() instanceof Value.Map m && m.entries().size() == 1) {
      Map.Entry<String, Value> e = m.entries().entrySet().iterator().next();
      return Optional.of(new Condition(e.getKey(), e.getValue().toPlain()));
    }
    return Optional.empty();
  }

  @Override
  public void validate(Params params, Problems problems) {
    Optional<Condition> c = condition(params);
    if (c.isEmpty() || !KINDS.contains(c.get().kind())) {
      String got = c.map(Condition::kind).orElse("");
      problems.error(params.mark("that"), "that must be one of " + String.join(", ", KINDS)
          + (got.isEmpty() ? "" : ", not '" + got + "'")
          + Suggest.closest(got, KINDS, 4).filter(x -> !got.isEmpty()).map(x -> "; did you mean " + x + "?").orElse(""),
          "that: iommu_groups_nonempty");
      return;
    }
    Condition cond = c.get();
    boolean ok = switch (cond.kind()) {
      case "iommu_groups_nonempty" -> cond.arg() == null;
      case "driver_bound" -> cond.arg("address") != null && cond.arg("driver") != null;
      case "module_loaded", "command" -> cond.text() != null && !cond.text().isBlank();
      case "file_contains" -> cond.arg("path") != null && cond.arg("path").startsWith("/") && cond.arg("text") != null;
      default -> false;
    };
    if (!ok) {
      problems.error(params.mark("that"), "bad arguments for " + cond.kind(), switch (cond.kind()) {
        case "driver_bound" -> "{driver_bound: {address: 0000:42:00.0, driver: vfio-pci}}";
        case "module_loaded" -> "{module_loaded: vfio_pci}";
        case "file_contains" -> "{file_contains: {path: /etc/x, text: y}}";
        case "command" -> "{command: 'test -e /dev/vfio/vfio'}";
        default -> "that: iommu_groups_nonempty";
      });
    }
  }

  @Override
  public List<Fact> facts(Params params) {
    Condition c = condition(params).orElseThrow();
    return switch (c.kind()) {
      case "iommu_groups_nonempty", "driver_bound" -> List.of(PciDevices.FACT);
      case "module_loaded" -> List.of(GpuFacts.LOADED_MODULES, NextKernel.FACT.fact());
      case "file_contains" -> List.of(Fact.file(c.arg("path")));
      default -> List.of(Fact.command(c.text()));
    };
  }

  /** Empty when the condition holds, else what was found instead. */
  static Optional<String> failure(Condition c, FactSet facts) {
    switch (c.kind()) {
      case "iommu_groups_nonempty" -> {
        return PciDevices.read(facts).iommuOn() ? Optional.empty()
            : Optional.of("/sys/kernel/iommu_groups is empty: the IOMMU is off");
      }
      case "driver_bound" -> {
        PciDevices pci = PciDevices.read(facts);
        Optional<PciDevices.Device> d = pci.at(c.arg("address"));
        if (d.isEmpty()) {
          return Optional.of("no PCI device at " + PciDevices.normalAddress(c.arg("address")));
        }
        String driver = d.get().driver();
        return c.arg("driver").equals(driver) ? Optional.empty()
            : Optional.of(d.get().address() + " is bound to " + (driver == null ? "no driver" : driver) + ", not " + c.arg("driver"));
      }
      case "module_loaded" -> {
        // Built-in modules are not in /proc/modules (nor have an initstate) and are always loaded.
        return GpuFacts.loadedOrBuiltin(facts, c.text()) ? Optional.empty()
            : Optional.of("module " + c.text() + " is not loaded");
      }
      case "file_contains" -> {
        Optional<String> text = facts.text(c.arg("path"));
        if (text.isEmpty()) {
          return Optional.of(c.arg("path") + " is missing");
        }
        return text.get().contains(c.arg("text")) ? Optional.empty()
            : Optional.of(c.arg("path") + " does not contain '" + c.arg("text") + "'");
      }
      default -> {
        FactResult.Output out = facts.command(c.text());
        return out.ok() ? Optional.empty() : Optional.of("command exited " + out.exitStatus() + ": " + c.text());
      }
    }
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    Condition c = condition(params).orElseThrow();
    String what = c.kind() + (c.arg() == null ? "" : " " + c.arg());
    Optional<String> failed = failure(c, facts);
    if (failed.isEmpty()) {
      return Change.none("holds: " + what);
    }
    String message = params.optional("message").map(m -> m + " (" + failed.get() + ")").orElse("assertion failed: " + failed.get());
    return Change.of(Action.RUN, failed.get(), "holds: " + what, List.of()).withBlocker(message);
  }
}
