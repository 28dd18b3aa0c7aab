package dev.plumb.drift;

import dev.plumb.text.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A host's record of convergence, kept in the ledger beside its facts: for each resource, the
 * digest of what it declared when it was last seen converged, and by which run.
 *
 * @param resources resource id to its entry
 */
public record Converged(Map<String, Entry> resources) {
  public static final int FORMAT = 1;

  public Converged {
    resources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(resources));
  }

  /**
   * One resource's last convergence.
   *
   * @param digest {@link Declared} digest of its declaration then
   * @param run the run that saw it converged
   * @param at when
   */
  public record Entry(String digest, String run, Instant at) {}

  public static Converged none() {
    return new Converged(Map.of());
  }

  /**
   * The class of a difference on resource {@code id} declared now as {@code digestNow}: drift when
   * it converged last with this same declaration, rollout when the declaration has changed since,
   * unknown when it never converged under a recorded run.
   */
  public DriftClass classify(String id, String digestNow) {
    Entry e = resources.get(id);
    if (e == null || digestNow == null) {
      return DriftClass.UNKNOWN;
    }
    return e.digest().equals(digestNow) ? DriftClass.DRIFT : DriftClass.ROLLOUT;
  }

  /** This record with {@code ids} seen converged now, declared as {@code declared} says. */
  public Converged with(Set<String> ids, Map<String, String> declared, String run, Instant at) {
    Map<String, Entry> next = new LinkedHashMap<>(resources);
    for (String id : ids) {
      String digest = declared.get(id);
      if (digest != null) {
        next.put(id, new Entry(digest, run, at));
      }
    }
    return new Converged(next);
  }

  public String toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    Map<String, Object> rs = new LinkedHashMap<>();
    resources.forEach((id, e) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("digest", e.digest());
      m.put("run", e.run());
      m.put("at", e.at().toString());
      rs.put(id, m);
    });
    root.put("resources", rs);
    return Json.pretty(root) + "\n";
  }

  /** Parses {@link #toJson}; empty when the text is not such a record (an unreadable record counts as none). */
  public static Optional<Converged> parse(String json) {
    try {
      Map<?, ?> root = (Map<?, ?>) Json.parse(json);
      Map<String, Entry> out = new LinkedHashMap<>();
      ((Map<?, ?>) root.get("resources")).forEach((id, v) -> {
        Map<?, ?> m = (Map<?, ?>) v;
        out.put(String.valueOf(id), new Entry((String) m.get("digest"), (String) m.get("run"), Instant.parse((String) m.get("at"))));
      });
      return Optional.of(new Converged(out));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
