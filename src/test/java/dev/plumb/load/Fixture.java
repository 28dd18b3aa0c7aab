package dev.plumb.load;

import dev.plumb.source.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.assertj.core.api.Assertions;

/** A project in a temp dir: write files, load, look at the catalog or the error. */
final class Fixture {
  final Path root;
  Path inventory;
  final List<String> extra = new ArrayList<>();
  String limit;
  Set<String> tags = Set.of();
  Function<YamlModuleSpec, dev.plumb.modules.Module> yamlModules;

  Fixture(Path root) {
    this.root = root;
  }

  Fixture write(String name, String text) {
    try {
      Path p = root.resolve(name);
      Files.createDirectories(p.getParent());
      Files.writeString(p, text);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Fixture inventory(String name, String text) {
    write(name, text);
    inventory = root.resolve(name);
    return this;
  }

  Catalog load() {
    return load("play.yml");
  }

  Catalog load(String playbook) {
    LoadRequest request = new LoadRequest(root.resolve(playbook), Optional.ofNullable(inventory), extra,
        Optional.ofNullable(limit), tags, FakeModules.registry());
    return Loader.load(request, yamlModules);
  }

  InputException fail() {
    return Assertions.catchThrowableOfType(InputException.class, this::load);
  }

  /** The error text with the temp dir removed, so tests can assert on "play.yml:4:7". */
  String errors() {
    InputException e = fail();
    Assertions.assertThat(e).as("expected an InputException").isNotNull();
    return e.getMessage().replace(root.toString() + "/", "");
  }
}
