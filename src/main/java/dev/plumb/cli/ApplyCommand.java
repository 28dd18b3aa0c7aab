package dev.plumb.cli;

import dev.plumb.apply.Mode;
import picocli.CommandLine.Command;

@Command(name = "apply", mixinStandardHelpOptions = true,
    description = {
      "Plan, then run exactly the planned commands on each host, re-read its facts and verify",
      "that every resource converged. A converged host runs no command."
    },
    footer = {"", "Examples:",
      "  plumb apply playbooks/gpu-hypervisor.yml",
      "  plumb apply -i inventories/lab.yml playbooks/gpu-hypervisor.yml --reboot if-needed",
      "", "Exit: 0 converged at the end; 1 bad input; 3 a host failed, did not converge, or was unreachable."})
final class ApplyCommand extends RunVerb {
  @Override
  Mode mode() {
    return Mode.APPLY;
  }
}
