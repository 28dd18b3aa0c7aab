package dev.plumb.modules;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactSet;
import dev.plumb.source.Problems;
import dev.plumb.text.Shell;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code command}: a command plumb cannot diff. Without a guard it always runs and is labelled
 * opaque; with {@code creates} or {@code unless} it runs only when the guard says so. Resources of
 * this type need a name.
 */
public final class CommandModule implements Module {

  private static final ModuleSpec SPEC = ModuleSpec.needingName("command",
      "A command to run, always (opaque) or guarded by creates/unless.",
      Param.optional("argv", Param.Type.STRINGS, null, "The command as a list of words, run without a shell. Not with shell."),
      Param.optional("shell", Param.Type.STRING, null, "A /bin/sh script, run as written (quote values yourself). Not with argv."),
      Param.optional("creates", Param.Type.STRING, null, "Absolute path: skip the command when it exists (file or directory)."),
      Param.optional("unless", Param.Type.STRING, null, "A /bin/sh check, run when facts are read: skip the command when it exits 0."),
      Param.optional("timeout", Param.Type.INT, null, "Seconds before the command is stopped (coreutils timeout)."));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public void validate(Params params, Problems problems) {
    if (params.has("argv") == params.has("shell")) {
      problems.error(params.mark(), params.has("argv") ? "argv and shell are both given" : "argv or shell is required",
          "give the command as argv (a list of words) or as shell (a script)");
    }
    if (params.has("argv") && params.strings("argv").isEmpty()) {
      problems.error(params.mark("argv"), "argv is empty", "give at least the program to run");
    }
    ParamChecks.absolutePath(params, "creates", problems);
    params.optional("timeout").ifPresent(t -> {
      if (!t.strip().matches("[0-9]+") || Long.parseLong(t.strip()) <= 0 || t.strip().length() > 9) {
        problems.error(params.mark("timeout"), "timeout '" + t + "' is not a positive number of seconds", "e.g. timeout: 600");
      }
    });
  }

  @Override
  public List<Fact> facts(Params params) {
    List<Fact> facts = new ArrayList<>();
    params.optional("creates").ifPresent(p -> facts.add(Fact.command(createsScript(p))));
    params.optional("unless").ifPresent(u -> facts.add(Fact.command(u)));
    return facts;
  }

  static String createsScript(String path) {
    return "test -e " + Shell.quote(path);
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    String what = params.has("shell") ? params.string("shell") : Shell.join(params.strings("argv"));
    if (params.has("creates") && facts.command(createsScript(params.string("creates"))).ok()) {
      return Change.none(params.string("creates") + " exists");
    }
    if (params.has("unless") && facts.command(params.string("unless")).ok()) {
      return Change.none("unless check passed");
    }
    boolean guarded = params.has("creates") || params.has("unless");
    Change run = Change.of(Action.RUN, guarded ? guardState(params) : "unknown", "ran: " + what, List.of(command(params)));
    return guarded ? run : run.withLabel(Label.OPAQUE);
  }

  private static String guardState(Params params) {
    return params.has("creates") ? params.string("creates") + " missing" : "unless check failed";
  }

  static Command command(Params params) {
    List<String> argv = new ArrayList<>();
    params.optional("timeout").ifPresent(t -> argv.addAll(List.of("timeout", t.strip())));
    if (params.has("shell")) {
      String script = params.string("shell");
      if (argv.isEmpty()) {
        return Command.shell(script);
      }
      argv.addAll(List.of("/bin/sh", "-c", script));
      return Command.of(argv);
    }
    argv.addAll(params.strings("argv"));
    return Command.of(argv);
  }
}
