package dev.plumb.load;

import dev.plumb.source.Problem;
import java.nio.file.Path;
import java.util.List;

/**
 * The loaded input: per host (inventory order) its resources; plus warnings (errors never reach
 * here: the loader throws {@code InputException} with all of them).
 */
public record Catalog(Path playbook, List<HostCatalog> hosts, List<Problem> warnings) {
  public Catalog {
    hosts = List.copyOf(hosts);
    warnings = List.copyOf(warnings);
  }
}
