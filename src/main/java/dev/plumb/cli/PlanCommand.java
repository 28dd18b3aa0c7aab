package dev.plumb.cli;

import dev.plumb.apply.Mode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {
      "Read each host's facts and show what apply would change: every change with its diff and",
      "the exact commands, in order. Never changes a host."
    },
    footer = {"", "Examples:",
      "  plumb plan playbooks/gpu-hypervisor.yml                 # this machine, no inventory",
      "  plumb plan -i inventories/lab.yml -l lab01 playbooks/gpu-node.yml",
      "  plumb plan --format markdown playbooks/controller.yml > plan.md   # for a PR comment",
      "", "Exit: 0 (or 2 with --detailed-exitcode when there are changes); 1 bad input; 3 a host failed."})
final class PlanCommand extends RunVerb {
  @Option(names = "--detailed-exitcode", description = "Exit 2 when there are changes (as terraform plan).")
  boolean detailed;

  @Option(names = "--facts-from", paramLabel = "SOURCE",
      description = "Plan from facts recorded by an earlier --record run instead of contacting hosts. SOURCE: ledger.")
  String factsFrom;

  @Override
  Mode mode() {
    return Mode.PLAN;
  }

  @Override
  String factsFrom() {
    return factsFrom;
  }

  @Override
  boolean detailedExitCode() {
    return detailed;
  }
}
