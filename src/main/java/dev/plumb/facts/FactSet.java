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
  private final Map<String, FactResult> overlays;
  private final Set<String> overlaid = new java.util.LinkedHashSet<>();

  public FactSet(Map<Fact, FactResult> read) {
    this(read, Map.of());
  }

  private FactSet(Map<Fact, FactResult> read, Map<String, FactResult> overlays) {
    this.read = Collections.unmodifiableMap(new LinkedHashMap<>(read));
    this.overlays = Collections.unmodifiableMap(new LinkedHashMap<>(overlays));
  }

  public static FactSet of(Map<Fact, FactResult> read) {
    return new FactSet(read);
  }

  /**
   * The same facts with a file's content replaced by what an earlier step will write: {@code
   * Content} for a write, {@code Missing} for a delete.
   */
  public FactSet withFile(String path, FactResult predicted) {
    Map<String, FactResult> next = new LinkedHashMap<>(overlays);
    next.put(path, predicted);
    return new FactSet(read, next);
  }

  /** A fresh view over the same facts and overlays, with its own record of overlays used. */
  public FactSet view() {
    return new FactSet(read, overlays);
  }

  /**
   * The result of a fact. Throws when the fact was never requested: a module that reads a fact it
   * did not declare in {@code facts(params)} is a bug, found by its first unit test.
   */
  public FactResult get(Fact fact) {
    if (fact instanceof Fact.File f && overlays.containsKey(f.path())) {
      overlaid.add(f.path());
      return overlays.get(f.path());
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
    for (Map.Entry<String, FactResult> o : overlays.entrySet()) {
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
