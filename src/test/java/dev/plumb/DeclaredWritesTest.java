package dev.plumb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.cli.Builtins;
import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.load.Catalog;
import dev.plumb.load.HostCatalog;
import dev.plumb.load.LoadRequest;
import dev.plumb.load.Loader;
import dev.plumb.load.Resource;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.modules.Module;
import dev.plumb.modules.Params;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a module declares it writes ({@code writes(params)}, globs allowed) covers every path its
 * changes write: the predicted writes and the paths of the guarded write and delete helpers. The
 * loader's one-writer-per-file check and the planner's ordering of readers after writers trust
 * the declaration, so a path missing from it is a file two resources can fight over unseen.
 *
 * <p>Checked for every module case (src/test/resources/modules) and for every resource of every
 * shipped playbook, planned against a bare host (every file missing, every command silent).
 */
class DeclaredWritesTest {

  @Test
  void everyModuleCase_writesOnlyWhatItsModuleDeclares() {
    List<String> undeclared = new ArrayList<>();
    for (ModuleCase c : ModuleCase.all()) {
      undeclared.addAll(undeclared(c.name(), c.module(), c.params(), c.change()));
    }
    assertThat(ModuleCase.all()).isNotEmpty();
    assertThat(undeclared).isEmpty();
  }

  @Test
  void everyShippedPlaybookResource_onABareHost_writesOnlyWhatItsModuleDeclares() throws IOException {
    List<String> undeclared = new ArrayList<>();
    int writing = 0;
    List<Path> playbooks;
    try (Stream<Path> files = Files.list(Path.of("playbooks"))) {
      // seed-as-written.yml is the seed's playbook kept as it was written: the loader refuses it
      // (its errors are the point), so it has no resources to plan.
      playbooks = files.filter(p -> p.toString().endsWith(".yml"))
          .filter(p -> !p.getFileName().toString().equals("seed-as-written.yml")).sorted().toList();
    }
    assertThat(playbooks).isNotEmpty();
    for (Path playbook : playbooks) {
      Catalog catalog = Loader.load(new LoadRequest(playbook, Optional.of(Path.of("inventories/example.yml")),
          List.of(), Optional.empty(), Set.of(), Builtins.registry()));
      for (HostCatalog host : catalog.hosts()) {
        for (Resource r : host.resources()) {
          Change change = r.module().diff(r.params(), bare(r.module().facts(r.params())));
          writing += written(change).isEmpty() ? 0 : 1;
          undeclared.addAll(undeclared(playbook + " " + host.host().name() + " " + r.id(), r.module(),
              r.params(), change));
        }
      }
    }
    assertThat(writing).as("resources that write a file on a bare host").isPositive();
    assertThat(undeclared).isEmpty();
  }

  static List<String> undeclared(String where, Module module, Params params, Change change) {
    Set<String> declared = module.writes(params);
    List<String> out = new ArrayList<>();
    for (String path : written(change)) {
      if (declared.stream().noneMatch(glob -> glob.equals(path) || new Fact.Files(glob).matches(path))) {
        out.add(where + ": writes " + path + " but " + module.type() + " declares only " + declared);
      }
    }
    return out;
  }

  /** Every path a change writes or deletes: its predictions and its write/delete helpers. */
  static Set<String> written(Change change) {
    Set<String> paths = new LinkedHashSet<>(change.writes().keySet());
    for (Command c : change.commands()) {
      List<String> argv = c.argv();
      if (argv.size() > 4 && (argv.get(3).equals("plumb-write") || argv.get(3).equals("plumb-delete"))) {
        paths.add(argv.get(4));
      }
    }
    return paths;
  }

  private static FactSet bare(List<Fact> facts) {
    Map<Fact, FactResult> read = new LinkedHashMap<>();
    for (Fact f : facts) {
      read.put(f, f instanceof Fact.File ? new FactResult.Missing() : FactResult.output(0, ""));
    }
    return FactSet.of(read);
  }
}
