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
  @Override
  Mode mode() {
    return Mode.APPLY;
  }
}
