package dev.plumb.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The files a load reads: the playbook, its YAML modules, and the inventory with its
 * group_vars/host_vars. A saved plan keeps their digests, so it is refused when one of them
 * changed (or appeared) since.
 */
public final class SourceFiles {
  private SourceFiles() {}

  /** The files, as paths relative to where the given paths are, sorted; the same input lists the same files. */
  public static List<Path> of(Path playbook, Optional<Path> inventory) {
    TreeSet<Path> files = new TreeSet<>();
    files.add(playbook.normalize());
    YamlModules.directoryFor(playbook).ifPresent(dir -> files.addAll(regularFiles(dir)));
    inventory.ifPresent(inv -> {
      if (Files.isDirectory(inv)) {
        files.addAll(regularFiles(inv));
      } else {
        files.add(inv.normalize());
        Path base = inv.getParent() == null ? Path.of("") : inv.getParent();
        files.addAll(regularFiles(base.resolve("group_vars")));
        files.addAll(regularFiles(base.resolve("host_vars")));
      }
    });
    return new ArrayList<>(files);
  }

  /** Every regular file under {@code dir} (none when it does not exist), hidden ones left out. */
  private static List<Path> regularFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> {
            for (Path part : dir.relativize(p)) {
              if (part.toString().startsWith(".")) {
                return false;
              }
            }
            return true;
          })
          .map(Path::normalize).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
