package dev.plumb.load;

import dev.plumb.modules.Module;
import dev.plumb.modules.Params;
import dev.plumb.source.Mark;
import dev.plumb.text.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One declared piece of state for one host, with its variables resolved.
 *
 * @param id stable id {@code type[name or key param]}, unique per host
 * @param name the user's {@code name}, or the key parameter's value
 * @param module the module for its type
 * @param params its parameters, checked against the module's spec
 * @param requires ids of resources that must be converged first (resolved and checked)
 * @param notifies ids of handlers to run when this resource changes (resolved and checked)
 * @param tags its tags
 * @param handler true for a resource under {@code handlers:}: it runs only when notified
 * @param mark where it was declared
 * @param order its declaration order on this host (plays in order, resources in order)
 * @param timeout the user's {@code timeout:} for its commands; {@link Duration#ZERO} when not given
 */
public record Resource(
    String id,
    String name,
    Module module,
    Params params,
    List<String> requires,
    List<String> notifies,
    Set<String> tags,
    boolean handler,
    Mark mark,
    int order,
    Duration timeout) {
  public Resource {
    requires = List.copyOf(requires);
    notifies = List.copyOf(notifies);
    tags = Set.copyOf(tags);
    timeout = timeout == null ? Duration.ZERO : timeout;
  }

  /** A resource without a timeout of its own (the form before {@code timeout} existed). */
  public Resource(String id, String name, Module module, Params params, List<String> requires,
      List<String> notifies, Set<String> tags, boolean handler, Mark mark, int order) {
    this(id, name, module, params, requires, notifies, tags, handler, mark, order, Duration.ZERO);
  }

  public String type() {
    return module.type();
  }

  /**
   * Equal resources have equal ids and orders, so this agrees with the record's equals; the
   * record's own hash walked every parameter value, and a resource is a key in the planner's graph
   * and sets (a third of the planning of 10,000 files went to it).
   */
  @Override
  public int hashCode() {
    return 31 * id.hashCode() + order;
  }

  /**
   * {@code sha256:<hex>} of its type and parameters (variables resolved), map keys sorted all the
   * way down: equal digests, same desired state, whatever the order of keys in YAML. What drift
   * compares with a host's last converged state, and what a reboot was for (reboot memory).
   */
  public String declaredDigest() {
    String canonical = type() + "\n" + Json.write(sorted(params.raw().toPlain()));
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static Object sorted(Object plain) {
    if (plain instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
      return out;
    }
    if (plain instanceof List<?> l) {
      return l.stream().map(Resource::sorted).toList();
    }
    return plain;
  }
}
