package dev.plumb.modules;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactDef;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.source.Problems;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code timezone}: the host's time zone, read and set with systemd's timedatectl.
 *
 * <p>The worked example of docs/modules.md ("Adding a built-in resource type in Java"): a command
 * fact with a pure parser, a check of the value, and a diff to one command or a blocker. It lives
 * under src/test, so it is compiled and tested with the build but is not a type users can write;
 * ModulesGuideTest checks that every code block of the guide is quoted from here.
 */
public final class Timezone implements Module {

  private static final ModuleSpec SPEC = ModuleSpec.of("timezone",
      "The host's time zone, set with timedatectl.", "zone",
      Param.required("zone", Param.Type.STRING, "A tz database zone, e.g. Europe/Paris or UTC."));

  /** What the host says its zone is; empty when timedatectl cannot say. */
  static final FactDef<Optional<String>> CURRENT =
      FactDef.command("timedatectl show --property=Timezone --value", Timezone::parse);

  private static final Pattern ZONE = Pattern.compile("[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*");

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public void validate(Params params, Problems problems) {
    String zone = params.string("zone");
    if (!ZONE.matcher(zone).matches()) {
      problems.error(params.mark("zone"), "'" + zone + "' is not a time zone name",
          "write a tz database name, e.g. Europe/Paris or UTC (timedatectl list-timezones)");
    }
  }

  @Override
  public List<Fact> facts(Params params) {
    return List.of(CURRENT.fact());
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    String want = params.string("zone");
    Optional<String> now = facts.get(CURRENT);
    if (now.isEmpty()) {
      return Change.of(Action.UPDATE, "unknown", want, List.of())
          .withBlocker("timedatectl cannot say the time zone on this host (no systemd, or one without 'show')");
    }
    if (now.get().equals(want)) {
      return Change.none(want);
    }
    return Change.of(Action.UPDATE, now.get(), want, List.of(Command.of("timedatectl", "set-timezone", want)));
  }

  /** One line naming the zone; a failure (127: no timedatectl; 1: too old for 'show') says nothing. */
  static Optional<String> parse(FactResult.Output out) {
    String zone = out.text().strip();
    return out.ok() && !zone.isEmpty() && !zone.contains("\n") ? Optional.of(zone) : Optional.empty();
  }
}
