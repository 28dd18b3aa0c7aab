package dev.plumb.cli;

import dev.plumb.apply.Mode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {
      "Show what apply would change; never changes a host.", "",
      "Reads each host's facts and shows every change with its diff and the exact commands, in order."
    },
    footer = {"", "Examples:",
      "  plumb plan playbooks/gpu-hypervisor.yml      # this machine, no inventory",
      "  plumb plan -i inventories/lab.yml -l lab01 playbooks/gpu-node.yml",
      "  plumb plan --format markdown playbooks/controller.yml > plan.md",
      "", "Exit: 0 (or 2 with --detailed-exitcode when there are changes); 1 bad input; 3 a host failed."})
final class PlanCommand extends RunVerb {
  @Option(names = "--detailed-exitcode", description = "Exit 2 when there are changes (as terraform plan).")
  boolean detailed;

  @Option(names = "--facts-from", paramLabel = "SOURCE",
      description = "Plan from facts recorded by an earlier --record run instead of contacting hosts. SOURCE: ledger.")
  String factsFrom;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE",
      description = "Also save the plan to FILE (JSON) for `plumb apply FILE`: the exact commands per host, with digests of"
          + " the source files and facts it was made from; apply refuses it when they moved.")
  java.nio.file.Path saveTo;

  @Option(names = "--against", paramLabel = "REF",
      description = "Show only what the work tree changes in the plan relative to git ref REF (a branch, tag or commit):"
          + " the playbooks, inventory and vars at REF are read from git (no checkout), both are planned on the same facts,"
          + " and hosts with the same difference are grouped.")
  String against;

  @Override
  public Integer call() {
    if (against == null) {
      return super.call();
    }
    if (saveTo != null) {
      spec.commandLine().getErr().println("plumb: --against shows a difference, not a plan to apply; leave out -o");
      return 1;
    }
    return Against.run(this, against, spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  @Override
  boolean prepare(java.io.PrintWriter err) {
    if (saveTo != null && factsFrom != null) {
      err.println("plumb: -o saves a plan to apply later, which needs facts read from the hosts; leave out --facts-from");
      return false;
    }
    return true;
  }

  @Override
  String fullPlanAt() {
    return saveTo == null ? null : saveTo + " (the saved plan; `plumb apply " + saveTo + "` runs it)";
  }

  @Override
  boolean finish(RunReport report, Session session, dev.plumb.text.Sensitive secrets, java.io.PrintWriter err) {
    if (saveTo == null) {
      return true;
    }
    try {
      java.util.Optional<java.nio.file.Path> inventory = java.util.Optional.ofNullable(common.inventory);
      SavedPlan.Input input = new SavedPlan.Input(common.playbook.toString(), inventory.map(Object::toString).orElse(null),
          common.limit, java.util.List.copyOf(common.tags), rebootPolicy(), SavedPlan.extraVarsDigest(common.extraVars));
      String text = SavedPlan.write(report, input, dev.plumb.load.SourceFiles.of(common.playbook, inventory),
          dev.plumb.ledger.RepoState.of(common.playbook), secrets);
      // Written whole and renamed, so an interrupted save never leaves half a plan.
      java.nio.file.Path tmp = java.nio.file.Files.createTempFile(
          saveTo.toAbsolutePath().getParent(), ".plumb-plan", ".tmp");
      java.nio.file.Files.writeString(tmp, text);
      java.nio.file.Files.move(tmp, saveTo, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      err.println("plan saved to " + saveTo + "; run it with: plumb apply " + saveTo);
      return true;
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      err.println("plumb: could not save the plan to " + saveTo + ": " + e.getMessage());
      return false;
    }
  }

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
