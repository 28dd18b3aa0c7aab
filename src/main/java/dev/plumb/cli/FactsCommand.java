package dev.plumb.cli;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactReader;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.load.HostCatalog;
import dev.plumb.modules.Json;
import dev.plumb.plan.Planner;
import dev.plumb.transport.Connection;
import dev.plumb.transport.TransportException;
import java.time.Duration;
import java.util.LinkedHashMap;
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
  @Mixin CommonOptions common;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Session session = Session.load(common, spec.commandLine().getErr());
    if (session == null) {
      return 1;
    }
    Planner planner = new Planner(session.registry().lints());
    Map<String, Object> out = new LinkedHashMap<>();
    int exit = 0;
    for (HostCatalog host : session.catalog().hosts()) {
      try (Connection c = session.connector().open(host.host())) {
        FactSet facts = FactReader.read(c, planner.factsNeeded(host), Duration.ofMinutes(2));
        Map<String, Object> m = new LinkedHashMap<>();
        facts.asRead().forEach((f, r) -> m.put(describe(f), describe(r)));
        out.put(host.host().name(), m);
      } catch (TransportException e) {
        out.put(host.host().name(), Map.of("unreachable", e.getMessage()));
        exit = 3;
      }
    }
    spec.commandLine().getOut().println(Json.pretty(out));
    return exit;
  }

  private static String describe(Fact f) {
    return f instanceof Fact.File file ? "file " + file.path() : "command " + ((Fact.Command) f).script();
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
