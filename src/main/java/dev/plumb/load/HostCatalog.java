package dev.plumb.load;

import dev.plumb.inventory.Host;
import java.util.List;

/** Everything one host must look like: its resources and handlers, in declaration order. */
public record HostCatalog(Host host, List<Resource> resources) {
  public HostCatalog {
    resources = List.copyOf(resources);
  }
}
