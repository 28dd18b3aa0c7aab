package dev.plumb.cli;

import dev.plumb.apply.Mode;
import dev.plumb.apply.PlanSource;
import dev.plumb.load.SourceFiles;
import dev.plumb.plan.Planner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import picocli.CommandLine.Command;

@Command(name = "apply", mixinStandardHelpOptions = true,
    description = {
      "Change each host to the playbook's state, and verify it.", "",
      "Plans, then runs exactly the planned commands on each host, re-reads its facts and verifies that"
          + " every resource converged. A converged host runs no command. A host with changes is changed only"
          + " under its lease (/run/plumb/lease on the host): one apply at a time.",
      "",
      "Given a saved plan (plumb plan -o FILE) instead of a playbook, runs it as saved: a host whose facts"
          + " moved since is refused (naming the fact and how it moved), the others go on; a plan whose playbook,"
          + " inventory or vars files changed is refused before any host is contacted."
    },
    footer = {"", "Examples:",
      "  plumb apply playbooks/gpu-hypervisor.yml",
      "  plumb apply -i inventories/lab.yml --reboot if-needed \\",
      "      playbooks/gpu-hypervisor.yml",
      "  plumb plan -o plan.json -i inventories/lab.yml playbooks/gpu-hypervisor.yml",
      "  plumb apply plan.json",
      "", "Exit: 0 converged at the end; 1 bad input or a stale saved plan; 3 a host failed, did not converge,"
          + " was unreachable, was refused by its saved plan, was refused a reboot that an earlier one for the same"
          + " cause did not make live (--reboot force overrides), or was locked: another apply held its lease"
          + " (the host was left alone)."})
final class ApplyCommand extends RunVerb {
  private SavedPlan.Loaded saved;

  @picocli.CommandLine.Option(names = "--reboot", paramLabel = "POLICY", defaultValue = "never",
      description = "never (default: report \"reboot pending\"), if-needed (one reboot per host, at the end, verified;"
          + " refused when an earlier reboot for the same declared values did not take, as the host remembers in"
          + " /var/lib/plumb/reboot-attempt) or force (if-needed, and one more reboot even then).")
  String reboot;

  @Override
  String rebootPolicy() {
    return switch (reboot) {
      case "force" -> "if-needed";
      case "never", "if-needed" -> reboot;
      default -> throw new IllegalArgumentException("--reboot takes 'never', 'if-needed' or 'force', not '" + reboot + "'");
    };
  }

  @Override
  boolean rebootAgain() {
    return reboot.equals("force");
  }

  @picocli.CommandLine.Option(names = "--metrics-file", paramLabel = "PATH",
      description = "Also write the run's figures in node_exporter's textfile format (PATH ends in .prom), atomically.")
  java.nio.file.Path metricsFile;

  @picocli.CommandLine.Option(names = "--only", paramLabel = "CLASS",
      description = "drift: correct only drift (the host moved; the declaration did not). Rollouts (the declaration"
          + " changed since the host last converged, or it never converged under a recorded run) are left and"
          + " reported as waiting for a reviewed apply. Needs runs recorded in the ledger (apply records by default in git).")
  String only;

  @picocli.CommandLine.Option(names = "--reboot-timeout", paramLabel = "DURATION",
      description = "How long to wait for a rebooted host to answer with a new boot_id: seconds, or 90s, 15m, 1h"
          + " (default 10m). A host's variable plumb_reboot_timeout wins over it.")
  String rebootTimeout;

  @Override
  java.time.Duration rebootTimeout() {
    if (rebootTimeout == null) {
      return null;
    }
    return dev.plumb.load.Durations.parse(rebootTimeout).orElseThrow(() -> new IllegalArgumentException(
        "--reboot-timeout takes a duration like 600, 90s, 15m or 1h, not '" + rebootTimeout + "'"));
  }

  @Override
  java.nio.file.Path metricsFile() {
    return metricsFile;
  }

  @Override
  boolean onlyDrift() {
    if (only != null && !only.equals("drift")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--only takes 'drift', not '" + only + "'");
    }
    return only != null;
  }

  @Override
  Mode mode() {
    return Mode.APPLY;
  }

  /** A saved plan (a .json file, or any file that is one) replaces the playbook, inventory and options. */
  @Override
  boolean prepare(PrintWriter err) {
    Path given = common.playbook;
    if (!given.toString().endsWith(".json")) {
      return true;
    }
    try {
      saved = SavedPlan.read(given);
    } catch (IllegalArgumentException e) {
      err.println("plumb: " + e.getMessage());
      return false;
    } catch (IOException e) {
      err.println("plumb: cannot read the saved plan " + given + ": " + e.getMessage());
      return false;
    }
    if (common.inventory != null || common.limit != null || !common.tags.isEmpty()) {
      err.println("plumb: a saved plan carries its own inventory, limit and tags; leave out -i, -l and --tags");
      return false;
    }
    if (!SavedPlan.extraVarsDigest(common.extraVars).equals(saved.input().extraVarsSha256())) {
      err.println("plumb: the plan was saved with other -e arguments; give the same -e arguments as to plumb plan");
      return false;
    }
    SavedPlan.Input in = saved.input();
    Path playbook = Path.of(in.playbook());
    Optional<Path> inventory = Optional.ofNullable(in.inventory()).map(Path::of);
    try {
      Optional<String> stale = SavedPlanCheck.staleSource(saved, SourceFiles.of(playbook, inventory));
      if (stale.isPresent()) {
        err.println("plumb: refused: " + given + " is stale: " + stale.get() + "; no host was contacted");
        err.println("    fix: make the plan again (plumb plan -o " + given + " …) and review it");
        return false;
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      err.println("plumb: cannot check the files the plan was made from: " + e.getMessage());
      return false;
    }
    common.playbook = playbook;
    common.inventory = inventory.orElse(null);
    common.limit = in.limit();
    common.tags = new ArrayList<>(in.tags());
    // The reboot policy is decided here, at apply: this command's --reboot, not the plan's.
    return true;
  }

  @Override
  PlanSource plans(Session session, Planner planner) {
    return saved == null ? null : SavedPlanCheck.source(saved, planner, session.secrets(common));
  }
}
