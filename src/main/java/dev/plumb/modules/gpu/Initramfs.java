package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.modules.Module;
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
  private static final List<Param> PARAMS = List.of(
      Param.optional("name", Param.Type.STRING, null, "names the handler when no resource name is given: notify: initramfs[<name>]"));

  @Override
  public String type() {
    return "initramfs";
  }

  @Override
  public String description() {
    return "Rebuilds the initramfs (update-initramfs -u or dracut -f) when notified";
  }

  @Override
  public List<Param> params() {
    return PARAMS;
  }

  @Override
  public String keyParam() {
    return "name";
  }

  @Override
  public List<Fact> facts(Params params) {
    return List.of(GpuFacts.TOOLS);
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    return rebuild(GpuFacts.tools(facts));
  }

  /** The rebuild with the tool the host has, or a blocker; shared with nvidia_driver. */
  static Change rebuild(Set<String> tools) {
    List<Command> cmd = command(tools);
    Change c = Change.of(Action.RESTART, "initramfs", "initramfs rebuilt", cmd).withTakesEffect(TakesEffect.AFTER_REBOOT);
    return cmd.isEmpty() ? c.withBlocker("neither update-initramfs nor dracut is on this host's PATH") : c;
  }

  static List<Command> command(Set<String> tools) {
    if (tools.contains("update-initramfs")) {
      return List.of(Command.of("update-initramfs", "-u"));
    }
    if (tools.contains("dracut")) {
      return List.of(Command.of("dracut", "-f"));
    }
    return List.of();
  }
}
