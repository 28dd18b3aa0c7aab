package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.apply.Mode;
import dev.plumb.apply.RunOptions;
import dev.plumb.apply.Runner;
import dev.plumb.drift.Adopt;
import dev.plumb.load.Catalog;
import dev.plumb.load.HostCatalog;
import dev.plumb.load.Resource;
import dev.plumb.plan.Planner;
import dev.plumb.plan.Step;
import dev.plumb.source.Suggest;
import dev.plumb.text.TextDiff;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code plumb drift}: what to do with drift other than correcting it. */
@Command(name = "drift", mixinStandardHelpOptions = true, subcommands = DriftCommand.AdoptCommand.class,
    description = "Drift the operator decides to keep: adopt prints the patch that declares the host's state.")
final class DriftCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: adopt");
  }

  @Command(name = "adopt", mixinStandardHelpOptions = true,
      description = {
        "Print a patch (for git apply) of the playbook, host_vars or group_vars file that declares each value",
        "the host has otherwise (line, ini, kernel_cmdline tokens, file content), so that the declared state",
        "becomes the host's. Reads the host's facts once; writes nothing, here or on the host."
      },
      footer = {"", "Examples:",
        "  plumb drift adopt -i inventories/lab.yml playbooks/gpu-hypervisor.yml lab01 > adopt.patch && git apply adopt.patch",
        "  plumb drift adopt -i inventories/lab.yml playbooks/gpu-hypervisor.yml lab01 'ini[cpu_allocation_ratio]'",
        "", "Exit: 0 every difference adopted (or none); 2 some could not be (stderr says which and why);",
        "      1 bad input; 3 the host was unreachable or failed."})
  static final class AdoptCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(index = "1", paramLabel = "HOST", description = "The host whose state to adopt.")
    String host;

    @Parameters(index = "2", arity = "0..1", paramLabel = "RESOURCE",
        description = "Only this resource (its id as plan shows it, e.g. line[GRUB_TIMEOUT=5]).")
    String resource;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      common.limit = host;
      Session session = Session.load(common, err);
      if (session == null) {
        return 1;
      }
      Catalog catalog = session.catalog();
      Optional<HostCatalog> found = catalog.hosts().stream().filter(h -> h.host().name().equals(host)).findFirst();
      if (found.isEmpty()) {
        err.println("plumb: no host " + host + " in the inventory for this playbook");
        err.println("    fix: name one host exactly, e.g. " + (catalog.hosts().isEmpty() ? "lab01" : catalog.hosts().get(0).host().name()));
        return 1;
      }
      HostCatalog hc = found.get();
      if (resource != null && hc.resources().stream().noneMatch(r -> r.id().equals(resource))) {
        List<String> ids = hc.resources().stream().map(Resource::id).toList();
        err.println("plumb: host " + host + " has no resource " + resource);
        err.println("    fix: " + Suggest.didYouMean(resource, ids) + "give a resource id as plan shows it");
        return 1;
      }
      Optional<Path> root = workTree(common.playbook);
      if (root.isEmpty()) {
        err.println("plumb: " + common.playbook + " is not in a git work tree; adopt prints a patch relative to one");
        err.println("    fix: run it on the playbook of your repository's checkout");
        return 1;
      }
      Catalog one = new Catalog(catalog.playbook(), List.of(hc), catalog.warnings(), catalog.sensitive());
      HostResult result = new Runner(new Planner(session.registry().lints()), session.connector())
          .run(one, RunOptions.defaults(Mode.CHECK).withForks(1), r -> { }).get(0);
      if (result.plan().isEmpty() || result.facts().isEmpty()) {
        err.println("plumb: " + host + ": " + result.outcome().word() + ": " + String.join("; ", result.problems()));
        return 3;
      }
      Set<String> differing = new LinkedHashSet<>();
      for (Step s : result.plan().get().steps()) {
        if (s.changes() && !s.handler() && (resource == null || resource.equals(s.id()))) {
          differing.add(s.id());
        }
      }
      Map<String, Optional<String>> cache = new HashMap<>();
      Adopt.Result adopt = Adopt.of(hc, result.facts().get(), Optional.ofNullable(resource),
          file -> cache.computeIfAbsent(file, AdoptCommand::read));
      StringBuilder patch = new StringBuilder();
      for (Map.Entry<String, String> e : adopt.files().entrySet()) {
        Path abs = Path.of(e.getKey()).toAbsolutePath().normalize();
        if (!abs.startsWith(root.get())) {
          err.println("plumb: " + e.getKey() + " declares a value to adopt but is outside the repository " + root.get()
              + "; edit it by hand");
          return 2;
        }
        patch.append(TextDiff.patch(root.get().relativize(abs).toString().replace('\\', '/'),
            cache.get(e.getKey()).orElseThrow(), e.getValue()));
      }
      String text = patch.toString();
      if (!session.secrets(common).redact(text).equals(text)) {
        err.println("plumb: the patch would show a secret of the input; adopt prints nothing");
        err.println("    fix: edit the files by hand");
        return 2;
      }
      out.print(text);
      out.flush();
      adopt.adopted().forEach(a -> err.println("adopted: " + a));
      Set<String> explained = new LinkedHashSet<>();
      adopt.refused().forEach(r -> {
        err.println("not adopted: " + r.message());
        explained.add(r.resource());
      });
      adopt.adopted().forEach(a -> explained.add(a.resource()));
      int notValues = 0;
      for (String id : differing) {
        if (!explained.contains(id)) {
          err.println("not adopted: " + id + ": its difference is not a value of line, ini, kernel_cmdline tokens"
              + " or file content; converge it with apply or edit it by hand");
          notValues++;
        }
      }
      if (differing.isEmpty()) {
        err.println(host + ": nothing to adopt: the host has what is declared");
      }
      err.flush();
      return adopt.refused().isEmpty() && notValues == 0 ? 0 : 2;
    }

    private static Optional<String> read(String file) {
      try {
        return Optional.of(Files.readString(Path.of(file), StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }

    /** The work tree of the git repository holding the playbook. */
    static Optional<Path> workTree(Path playbook) {
      try {
        Optional<org.eclipse.jgit.lib.Repository> found = dev.plumb.ledger.RepoState.open(playbook);
        if (found.isEmpty()) {
          return Optional.empty();
        }
        try (org.eclipse.jgit.lib.Repository repo = found.get()) {
          return repo.isBare() ? Optional.empty() : Optional.of(repo.getWorkTree().toPath().toAbsolutePath().normalize());
        }
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }
}
