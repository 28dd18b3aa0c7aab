package dev.plumb.facts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The facts read from one host, plus the file contents that earlier steps of a plan will leave
 * (overlays). A module's {@code diff} reads only this: it never touches a host.
 */
public final class FactSet {
  private final Map<Fact, FactResult> read;
  private final Overlays overlays;
  private final int limit;
  private final Set<String> overlaid = new java.util.LinkedHashSet<>();

  public FactSet(Map<Fact, FactResult> read) {
    this(Collections.unmodifiableMap(new LinkedHashMap<>(read)), new Overlays(), 0);
  }

  private FactSet(Map<Fact, FactResult> read, Overlays overlays, int limit) {
    this.read = read;
    this.overlays = overlays;
    this.limit = limit;
  }

  public static FactSet of(Map<Fact, FactResult> read) {
    return new FactSet(read);
  }

  /**
   * The writes predicted so far, shared by every FactSet derived from one another: an append-only
   * log, each FactSet seeing its first {@code limit} entries. A plan adds one write per step;
   * copying the facts and overlays each time made planning quadratic (10,000 files: minutes).
   */
  private static final class Overlays {
    final java.util.ArrayList<String> paths = new java.util.ArrayList<>();
    final java.util.ArrayList<FactResult> results = new java.util.ArrayList<>();
    final java.util.HashMap<String, Integer> last = new java.util.HashMap<>();

    Overlays copy(int limit) {
      Overlays c = new Overlays();
      for (int i = 0; i < limit; i++) {
        c.add(paths.get(i), results.get(i));
      }
      return c;
    }

    void add(String path, FactResult result) {
      paths.add(path);
      results.add(result);
      last.put(path, paths.size() - 1);
    }

    /** The first {@code limit} entries as path -> latest result, in the order paths were first written. */
    Map<String, FactResult> asMap(int limit) {
      Map<String, FactResult> m = new LinkedHashMap<>();
      for (int i = 0; i < limit; i++) {
        m.put(paths.get(i), results.get(i));
      }
      return m;
    }

    /** The latest entry for path among the first {@code limit}, or null. */
    FactResult find(String path, int limit) {
      Integer i = last.get(path);
      if (i == null) {
        return null;
      }
      if (i < limit) {
        return results.get(i);
      }
      // Written again after this FactSet's time (rare): look back from its own end.
      for (int j = limit - 1; j >= 0; j--) {
        if (paths.get(j).equals(path)) {
          return results.get(j);
        }
      }
      return null;
    }
  }

  /**
   * The same facts with a file's content replaced by what an earlier step will write: {@code
   * Content} for a write, {@code Missing} for a delete.
   */
  public FactSet withFile(String path, FactResult predicted) {
    synchronized (overlays) {
      // The newest FactSet appends in place; an older one branches off with its own copy.
      Overlays target = limit == overlays.paths.size() ? overlays : overlays.copy(limit);
      target.add(path, predicted);
      return new FactSet(read, target, target.paths.size());
    }
  }

  /** A fresh view over the same facts and overlays, with its own record of overlays used. */
  public FactSet view() {
    return new FactSet(read, overlays, limit);
  }

  /**
   * The result of a fact. Throws when the fact was never requested: a module that reads a fact it
   * did not declare in {@code facts(params)} is a bug, found by its first unit test.
   */
  public FactResult get(Fact fact) {
    if (fact instanceof Fact.File f && limit > 0) {
      FactResult predicted;
      synchronized (overlays) {
        predicted = overlays.find(f.path(), limit);
      }
      if (predicted != null) {
        overlaid.add(f.path());
        return predicted;
      }
    }
    FactResult result = read.get(fact);
    if (result == null) {
      throw new IllegalStateException("fact was not declared by the module: " + fact);
    }
    if (fact instanceof Fact.Files glob && result instanceof FactResult.Output out && out.ok()) {
      return predictedListing(glob, out);
    }
    return result;
  }

  /** A typed fact's parsed value, with what earlier steps will write when it is read from files. */
  public <T> T get(FactDef<T> def) {
    return def.parse(get(def.fact()));
  }

  /** A listing with the predicted content of every overlaid path the glob matches. */
  private FactResult predictedListing(Fact.Files glob, FactResult.Output read) {
    Map<String, String> files = null;
    Map<String, FactResult> predicted;
    synchronized (overlays) {
      predicted = overlays.asMap(limit);
    }
    for (Map.Entry<String, FactResult> o : predicted.entrySet()) {
      if (!glob.matches(o.getKey())) {
        continue;
      }
      if (files == null) {
        files = new LinkedHashMap<>(FileListing.parse(read.text()));
      }
      overlaid.add(o.getKey());
      if (o.getValue() instanceof FactResult.Content c) {
        files.put(o.getKey(), c.text());
      } else {
        files.remove(o.getKey());
      }
    }
    return files == null ? read : new FactResult.Output(0, FileListing.renderBytes(files));
  }

  /** A file's content, or empty when it is missing or unreadable. */
  public Optional<FactResult.Content> file(String path) {
    return get(Fact.file(path)) instanceof FactResult.Content c ? Optional.of(c) : Optional.empty();
  }

  /** A file's text, or empty when it is missing or unreadable. */
  public Optional<String> text(String path) {
    return file(path).map(FactResult.Content::text);
  }

  /** A command's output. */
  public FactResult.Output command(String script) {
    FactResult result = get(Fact.command(script));
    if (result instanceof FactResult.Output out) {
      return out;
    }
    throw new IllegalStateException("not a command fact: " + script);
  }

  /** Paths whose predicted content (not the content read from the host) was seen by this view. */
  public Set<String> overlaidPathsSeen() {
    return Collections.unmodifiableSet(overlaid);
  }

  /** The facts as read from the host, without overlays (for the ledger and --facts-from). */
  public Map<Fact, FactResult> asRead() {
    return read;
  }
}
