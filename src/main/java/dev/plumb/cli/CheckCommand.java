package dev.plumb.cli;

import dev.plumb.apply.Mode;
import picocli.CommandLine.Command;

@Command(name = "check", mixinStandardHelpOptions = true,
    description = {
      "Report drift: one line per host, and an exit code for schedules and CI.", "",
      "Reads each host's facts; never changes a host."
    },
    footer = {"", "Examples:",
      "  plumb check -i inventories/lab.yml playbooks/gpu-hypervisor.yml",
      "  plumb check --format json -i inventories/prod.yml \\",
      "      playbooks/gpu-node.yml > check.json",
      "", "Exit: 0 converged; 2 drift found; 1 bad input; 3 a host failed or was unreachable."})
final class CheckCommand extends RunVerb {
  @picocli.CommandLine.Option(names = "--metrics-file", paramLabel = "PATH",
      description = "Also write the run's figures in node_exporter's textfile format (PATH ends in .prom), atomically.")
  java.nio.file.Path metricsFile;

  @Override
  java.nio.file.Path metricsFile() {
    return metricsFile;
  }

  @Override
  Mode mode() {
    return Mode.CHECK;
  }
}
