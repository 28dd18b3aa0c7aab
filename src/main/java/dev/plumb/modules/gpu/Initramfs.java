package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.modules.Module;
import dev.plumb.modules.ModuleSpec;
import dev.plumb.modules.Param;
import dev.plumb.modules.Params;
import dev.plumb.modules.TakesEffect;
import java.util.List;
import java.util.Set;

/**
 * {@code initramfs}: a handler that rebuilds the initramfs with the host's own tool, so that
 * changed modprobe.d and modules-load.d files reach the next boot. Declared under
 * {@code handlers:}; the planner runs it only when a resource notifies it.
 */
public final class Initramfs implements Module {
  private static final ModuleSpec SPEC = ModuleSpec.of("initramfs",
      "Rebuilds the initramfs of the kernel that boots next (update-initramfs -u -k K or dracut -f --kver K) when notified", "name",
      Param.optional("name", Param.Type.STRING, null, "names the handler when no resource name is given: notify: initramfs[<name>]"));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public List<Fact> facts(Params params) {
    return List.of(NextKernel.FACT.fact(), GpuFacts.TOOLS);
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    NextKernel kernel = NextKernel.of(facts);
    List<Command> cmd = command(GpuFacts.tools(facts), kernel);
    Change c = Change.of(Action.RESTART, "initramfs", kernel.next().isEmpty() ? "initramfs rebuilt" : "initramfs of " + kernel.next() + " rebuilt", cmd)
        .withTakesEffect(TakesEffect.AFTER_REBOOT);
    if (kernel.pending()) {
      c = c.withNote(pendingNote(kernel));
    }
    return cmd.isEmpty() ? c.withBlocker("neither update-initramfs nor dracut is on this host's PATH") : c;
  }

  static String pendingNote(NextKernel kernel) {
    return "the next boot starts kernel " + kernel.next() + " (running " + kernel.running() + "): its initramfs is the one rebuilt";
  }

  /**
   * The rebuild of the initramfs the next boot loads, with the tool the host has: the tools
   * default to the running kernel, which after a kernel update is not the one that boots.
   */
  static List<Command> command(Set<String> tools, NextKernel kernel) {
    boolean known = !kernel.next().isEmpty();
    if (tools.contains("update-initramfs")) {
      return List.of(known ? Command.of("update-initramfs", "-u", "-k", kernel.next()) : Command.of("update-initramfs", "-u"));
    }
    if (tools.contains("dracut")) {
      return List.of(known ? Command.of("dracut", "-f", "--kver", kernel.next()) : Command.of("dracut", "-f"));
    }
    return List.of();
  }
}
