package dev.plumb.cli;

import dev.plumb.modules.Module;
import dev.plumb.modules.ModuleRegistry;
import dev.plumb.modules.Param;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "modules", mixinStandardHelpOptions = true,
    description = {"List the resource types plumb knows, or show one with its parameters."},
    footer = {"", "Examples:", "  plumb modules", "  plumb modules kernel_cmdline"})
final class ModulesCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "TYPE", description = "Show this type's parameters.")
  String type;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ModuleRegistry registry = Builtins.registry();
    if (type == null) {
      registry.all().forEach(m -> out.printf("%-18s %s%n", m.type(), m.description()));
      return 0;
    }
    Module m = registry.find(type).orElse(null);
    if (m == null) {
      spec.commandLine().getErr().println("plumb: unknown resource type '" + type + "'; 'plumb modules' lists them");
      return 1;
    }
    out.println(m.type() + ": " + m.description());
    out.println();
    for (Param p : m.params()) {
      String req = p.required() ? "required" : p.defaultValue() == null ? "optional" : "default " + p.defaultValue();
      out.printf("  %-16s %-30s %s%n", p.name(), p.type().expected() + ", " + req, p.doc());
    }
    if (m.keyParam() != null) {
      out.println();
      out.println("  Resources are named " + m.type() + "[<" + m.keyParam() + ">] unless given a name.");
    }
    return 0;
  }
}
