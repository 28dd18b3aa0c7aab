package dev.plumb.drift;

import dev.plumb.load.HostCatalog;
import dev.plumb.load.Resource;
import java.util.LinkedHashMap;
import java.util.Map;

/** Digests of what a host's resources declare: equal digests, same desired state. */
public final class Declared {
  private Declared() {}

  /** Resource id to the digest of its type and parameters ({@link Resource#declaredDigest}), in plan order. */
  public static Map<String, String> digests(HostCatalog host) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Resource r : host.resources()) {
      out.put(r.id(), r.declaredDigest());
    }
    return out;
  }
}
