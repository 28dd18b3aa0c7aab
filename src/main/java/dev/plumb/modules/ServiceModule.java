package dev.plumb.modules;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.source.Problems;
import dev.plumb.text.Shell;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code service}: a systemd unit started or stopped, enabled or disabled, or restarted as a
 * handler.
 *
 * <p>{@code state: restarted} diffs to {@link Action#RESTART}: a module cannot tell whether its
 * resource is a handler, so the planner runs it only when notified, and for a resource that is not
 * a handler turns it into an opaque run (the rule is the planner's, for every module).
 */
public final class ServiceModule implements Module {

  private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9:_.\\\\@-]+");
  private static final Set<String> ENABLED = Set.of("enabled", "enabled-runtime", "alias", "static", "indirect", "generated");

  private static final ModuleSpec SPEC = ModuleSpec.of("service",
      "A systemd unit: started or stopped, enabled or disabled, restarted when notified.", "name",
      Param.required("name", Param.Type.STRING, "The systemd unit, e.g. nova-compute or libvirtd.service."),
      Param.oneOf("state", null,
          "started, stopped, or restarted (a handler: restart when notified).", "started", "stopped", "restarted"),
      Param.optional("enabled", Param.Type.BOOL, null, "Whether it starts at boot."));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public void validate(Params params, Problems problems) {
    String unit = params.string("name");
    if (!UNIT.matcher(unit).matches() || unit.startsWith("-")) {
      problems.error(params.mark("name"), "'" + unit + "' is not a systemd unit name",
          "use the unit's name as systemctl lists it, e.g. nova-compute.service");
    }
    // A state outside started|stopped|restarted is the loader's to report (the Param declares the set).
    if (!params.has("state") && !params.has("enabled")) {
      problems.error(params.mark(), "a service needs state or enabled", "add state: started, or enabled: true");
    }
  }

  static String activeScript(String unit) {
    return "systemctl is-active " + Shell.quote(unit);
  }

  static String enabledScript(String unit) {
    return "systemctl is-enabled " + Shell.quote(unit);
  }

  @Override
  public List<Fact> facts(Params params) {
    String unit = params.string("name");
    List<Fact> facts = new ArrayList<>();
    facts.add(Fact.command(activeScript(unit)));
    if (params.has("enabled")) {
      facts.add(Fact.command(enabledScript(unit)));
    }
    return facts;
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    String unit = params.string("name");
    FactResult.Output active = facts.command(activeScript(unit));
    if (noSystemd(active)) {
      return Change.of(Action.UPDATE, "unknown", "managed by systemd", List.of())
          .withBlocker("systemd not found on this host (systemctl is missing)");
    }
    String activeNow = firstLine(active);
    List<Command> cmds = new ArrayList<>();
    List<String> before = new ArrayList<>();
    List<String> after = new ArrayList<>();
    List<String> blockers = new ArrayList<>();
    if (params.has("enabled")) {
      String enabledNow = firstLine(facts.command(enabledScript(unit)));
      boolean want = params.bool("enabled");
      if (enabledNow.equals("masked") && want) {
        blockers.add(unit + " is masked: unmask it (systemctl unmask " + unit + ") before enabling it");
      } else if (enabledNow.equals("not-found") || enabledNow.isEmpty()) {
        blockers.add("unit " + unit + " not found on this host: install it first (require its package)");
      } else if (want != ENABLED.contains(enabledNow)) {
        cmds.add(Command.of("systemctl", want ? "enable" : "disable", unit));
        before.add(enabledNow);
        after.add(want ? "enabled" : "disabled");
      }
    }
    String state = params.optional("state").orElse("");
    if (state.equals("restarted")) {
      cmds.add(Command.of("systemctl", "restart", unit));
      Change restart = Change.of(Action.RESTART, String.join(", ", prepend(activeNow, before)),
          String.join(", ", prepend("restarted", after)), cmds);
      return withBlockers(restart, blockers);
    }
    boolean isActive = active.ok() || activeNow.equals("active") || activeNow.equals("reloading");
    if (state.equals("started") && !isActive) {
      cmds.add(Command.of("systemctl", "start", unit));
      before.add(0, activeNow.isEmpty() ? "inactive" : activeNow);
      after.add(0, "active");
    } else if (state.equals("stopped") && isActive) {
      cmds.add(Command.of("systemctl", "stop", unit));
      before.add(0, activeNow);
      after.add(0, "inactive");
    }
    if (cmds.isEmpty()) {
      return withBlockers(Change.none(activeNow + (params.has("enabled") ? ", " + firstLine(facts.command(enabledScript(unit))) : "")),
          blockers);
    }
    return withBlockers(Change.of(Action.UPDATE, String.join(", ", before), String.join(", ", after), cmds), blockers);
  }

  private static Change withBlockers(Change c, List<String> blockers) {
    for (String b : blockers) {
      c = c.withBlocker(b);
    }
    return c;
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  /** Exit 127 is "command not found"; no output at all means systemctl never ran either. */
  static boolean noSystemd(FactResult.Output out) {
    return out.exitStatus() == 127 || (out.exitStatus() != 0 && out.stdout().length == 0);
  }

  private static String firstLine(FactResult.Output out) {
    String t = out.text().strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }
}
