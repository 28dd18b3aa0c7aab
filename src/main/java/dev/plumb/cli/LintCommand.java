package dev.plumb.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "lint", mixinStandardHelpOptions = true,
    description = {
      "Check a playbook without contacting any host.", "",
      "YAML, resource types and parameters, variables, requires/notify, cycles, kernel parameters,"
          + " GPU role conflicts. plan, check and apply run the same checks first."
    },
    footer = {"", "Example:", "  plumb lint playbooks/seed-as-written.yml", "", "Exit: 0 no errors (warnings are shown); 1 errors."})
final class LintCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Session session = Session.load(common, spec.commandLine().getErr());
    if (session == null) {
      return 1;
    }
    int resources = session.catalog().hosts().stream().mapToInt(h -> h.resources().size()).sum();
    int warnings = session.catalog().warnings().size();
    int hosts = session.catalog().hosts().size();
    spec.commandLine().getOut().println("plumb lint: no errors (" + plural(warnings, "warning") + "; "
        + plural(resources, "resource") + " on " + plural(hosts, "host") + ")");
    return 0;
  }

  private static String plural(int n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
