package dev.plumb.cli;

import dev.plumb.apply.Mode;
import picocli.CommandLine.Command;

@Command(name = "apply", mixinStandardHelpOptions = true,
    description = {
      "Plan, then run exactly the planned commands on each host, re-read its facts and verify",
      "that every resource converged. A converged host runs no command. A host with changes is",
      "changed only under its lease (/run/plumb/lease on the host): one apply at a time."
    },
    footer = {"", "Examples:",
      "  plumb apply playbooks/gpu-hypervisor.yml",
      "  plumb apply -i inventories/lab.yml playbooks/gpu-hypervisor.yml --reboot if-needed",
      "", "Exit: 0 converged at the end; 1 bad input; 3 a host failed, did not converge, was unreachable,",
      "      or was locked: another apply held its lease (the host was left alone)."})
final class ApplyCommand extends RunVerb {
  @picocli.CommandLine.Option(names = "--metrics-file", paramLabel = "PATH",
      description = "Also write the run's figures in node_exporter's textfile format (PATH ends in .prom), atomically.")
  java.nio.file.Path metricsFile;

  @picocli.CommandLine.Option(names = "--only", paramLabel = "CLASS",
      description = "drift: correct only drift (the host moved; the declaration did not). Rollouts (the declaration"
          + " changed since the host last converged, or it never converged under a recorded run) are left and"
          + " reported as waiting for a reviewed apply. Needs runs recorded in the ledger (--record).")
  String only;

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
}
