package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.apply.Mode;
import dev.plumb.apply.RunOptions;
import dev.plumb.apply.Runner;
import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.plan.Planner;
import dev.plumb.text.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "facts", mixinStandardHelpOptions = true,
    description = {"Read and print the facts the playbook needs from each host (JSON), in one round trip per host."},
    footer = {"", "Example:", "  plumb facts -i inventories/lab.yml -l lab01 playbooks/gpu-hypervisor.yml",
      "", "Exit: 0; 1 bad input; 3 a host was unreachable."})
final class FactsCommand implements Callable<Integer> {
  @Mixin CommonOptions.HostOptions common;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Session session = Session.load(common, spec.commandLine().getErr());
    if (session == null) {
      return 1;
    }
    // The runner reads every host in parallel (--forks at a time) and keeps what it read.
    Runner runner = new Runner(new Planner(session.registry().lints()),
        Trace.wrap(session.connector(), common.verbosity(), spec.commandLine().getErr(), session.secrets(common)));
    List<HostResult> results = runner.run(session.catalog(), RunOptions.defaults(Mode.PLAN).withForks(common.forks), r -> {});
    Map<String, Object> out = new LinkedHashMap<>();
    int exit = 0;
    for (HostResult result : results) {
      if (result.facts().isPresent()) {
        Map<String, Object> m = new LinkedHashMap<>();
        result.facts().get().asRead().forEach((f, r) -> m.put(describe(f), describe(r)));
        out.put(result.host(), m);
      } else {
        out.put(result.host(), Map.of("unreachable", String.join("; ", result.problems())));
        exit = 3;
      }
    }
    spec.commandLine().getOut().println(Json.pretty(out));
    return exit;
  }

  private static String describe(Fact f) {
    if (f instanceof Fact.File file) {
      return "file " + file.path();
    }
    return f instanceof Fact.Files files ? "files " + files.glob() : "command " + ((Fact.Command) f).script();
  }

  private static Object describe(FactResult r) {
    if (r instanceof FactResult.Content c) {
      return c.text();
    }
    if (r instanceof FactResult.Output o) {
      return Map.of("exit", o.exitStatus(), "stdout", o.text());
    }
    return r instanceof FactResult.Missing ? Map.of("missing", true) : Map.of("unreadable", true);
  }
}
