package dev.plumb.load;

import dev.plumb.source.Problem;
import dev.plumb.text.Sensitive;
import java.nio.file.Path;
import java.util.List;

/**
 * The loaded input: per host (inventory order) its resources; plus warnings, and the secret values
 * every output must be redacted of (errors never reach
 * here: the loader throws {@code InputException} with all of them).
 */
public record Catalog(Path playbook, List<HostCatalog> hosts, List<Problem> warnings, Sensitive sensitive) {
  public Catalog {
    hosts = List.copyOf(hosts);
    warnings = List.copyOf(warnings);
  }

  public Catalog(Path playbook, List<HostCatalog> hosts, List<Problem> warnings) {
    this(playbook, hosts, warnings, Sensitive.none());
  }
}
