package dev.plumb.cli;

import dev.plumb.inventory.Inventory;
import dev.plumb.source.Problem;
import dev.plumb.source.Problems;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Shows an inventory resolved as plumb (and Ansible) resolve it, in ansible-inventory's formats. */
@Command(name = "inventory", mixinStandardHelpOptions = true,
    description = {
      "Show how an inventory resolves, as ansible-inventory does.", "",
      "The same output as ansible-inventory (--list JSON, --graph tree, --host variables), with group_vars/"
          + " and host_vars/ applied. Contacts no host."
    },
    footer = {"", "Examples:",
      "  plumb inventory -i inventories/lab.yml --list",
      "  plumb inventory -i inventories/lab.yml --graph gpu_nodes",
      "  plumb inventory -i inventories/lab.yml --host lab01",
      "", "Exit: 0 shown; 1 bad inventory, unknown group or host."})
final class InventoryCommand implements Callable<Integer> {
  @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY", required = true,
      description = "Inventory file or directory (YAML or INI, as Ansible's).")
  Path inventory;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Action action;

  static final class Action {
    @Option(names = "--list", description = "All groups and every host's variables, as JSON.")
    boolean list;

    @Option(names = "--graph", description = "The group tree (from all, or from the GROUP given).")
    boolean graph;

    @Option(names = "--host", paramLabel = "NAME", description = "One host's variables, as JSON.")
    String host;
  }

  @Parameters(index = "0", arity = "0..1", paramLabel = "GROUP", description = "With --graph: the group to start from.")
  String group;

  @CommandLine.Mixin VaultOptions vault = new VaultOptions();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.exists(inventory)) {
      err.println("plumb: inventory not found: " + inventory);
      err.println("    fix: give an inventory file or directory, e.g. -i inventories/lab.yml");
      return 1;
    }
    if (!vault.apply(err, System.getenv())) {
      return 1;
    }
    Problems problems = new Problems();
    Inventory inv = Inventory.read(inventory, problems);
    problems.all().stream().filter(p -> !p.isError()).forEach(p -> err.println(p.render()));
    if (problems.hasErrors()) {
      err.print(TextRenderer.problems(problems.all().stream().filter(Problem::isError).toList()));
      long errors = problems.all().stream().filter(Problem::isError).count();
      err.println("plumb: " + errors + " error" + (errors == 1 ? "" : "s") + " in the inventory.");
      err.flush();
      return 1;
    }
    Optional<String> shown;
    if (action.list) {
      shown = Optional.of(inv.ansibleList());
    } else if (action.graph) {
      String from = group == null ? "all" : group;
      shown = inv.ansibleGraph(from);
      if (shown.isEmpty()) {
        err.println("plumb: no group named '" + from + "' in " + inventory);
        err.println("    fix: give a group of the inventory; 'plumb inventory -i " + inventory + " --graph' shows them");
        return 1;
      }
    } else {
      shown = inv.ansibleHost(action.host);
      if (shown.isEmpty()) {
        err.println("plumb: no host named '" + action.host + "' in " + inventory);
        err.println("    fix: give a host of the inventory; 'plumb inventory -i " + inventory + " --graph' shows them");
        return 1;
      }
    }
    out.println(shown.get());
    out.flush();
    return 0;
  }
}
