package dev.plumb.drift;

import dev.plumb.load.HostCatalog;
import dev.plumb.load.Resource;
import dev.plumb.text.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Digests of what a host's resources declare: equal digests, same desired state. */
public final class Declared {
  private Declared() {}

  /** Resource id to the digest of its type and parameters (variables resolved), in plan order. */
  public static Map<String, String> digests(HostCatalog host) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Resource r : host.resources()) {
      out.put(r.id(), digest(r.type(), r.params().raw().toPlain()));
    }
    return out;
  }

  static String digest(String type, Object params) {
    String canonical = type + "\n" + Json.write(sorted(params));
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Maps with sorted keys, all the way down: the digest must not depend on the order of keys in YAML. */
  private static Object sorted(Object plain) {
    if (plain instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
      return out;
    }
    if (plain instanceof List<?> l) {
      return l.stream().map(Declared::sorted).toList();
    }
    return plain;
  }
}
