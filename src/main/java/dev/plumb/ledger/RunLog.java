package dev.plumb.ledger;

import dev.plumb.text.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * The runs recorded in one or more ledger refs, read from each ref's tip ({@code runs/<id>.json}
 * and the rendered reports beside it). The one entry point for reading records: {@code plumb log}
 * and {@code plumb show} read {@value Ledger#REF}; other refs (per-host record refs) are read the
 * same way by passing them too.
 */
public final class RunLog {
  private RunLog() {}

  /** One host's line of a run. */
  public record HostRun(String name, String outcome, int changes) {}

  /**
   * A recorded run.
   *
   * @param id the run's id (its file name under runs/ without .json)
   * @param ref the ledger ref it was read from
   * @param time when it was recorded
   * @param verb plan, check or apply
   * @param playbook the playbook as named on the command line
   * @param source the playbook repository's commit and dirtiness, when recorded
   * @param exitCode the run's exit code
   * @param hosts its hosts, in inventory order
   */
  public record Run(String id, String ref, Instant time, String verb, String playbook, Optional<RepoState> source,
      int exitCode, List<HostRun> hosts) {}

  /** Every run of the given refs (absent refs are skipped), newest first; ties by id. */
  public static List<Run> read(Path inRepository, List<String> refs) throws IOException {
    Optional<Repository> found = RepoState.open(inRepository);
    if (found.isEmpty()) {
      throw new IOException(inRepository + " is not in a git repository");
    }
    List<Run> runs = new ArrayList<>();
    try (Repository repo = found.get()) {
      for (String ref : refs) {
        files(repo, ref, ".json").forEach((id, bytes) -> parse(id, ref, bytes).ifPresent(runs::add));
      }
    }
    runs.sort(Comparator.comparing(Run::time).thenComparing(Run::id).reversed());
    return runs;
  }

  /**
   * One recorded file of a run: {@code suffix} ".json" (the report), ".txt", ".md" or ".xml"; the
   * run is named by its id or a unique prefix of it.
   *
   * @throws IOException when no run or several runs match
   */
  public static byte[] report(Path inRepository, List<String> refs, String run, String suffix) throws IOException {
    Optional<Repository> found = RepoState.open(inRepository);
    if (found.isEmpty()) {
      throw new IOException(inRepository + " is not in a git repository");
    }
    try (Repository repo = found.get()) {
      Map<String, byte[]> matches = new LinkedHashMap<>();
      for (String ref : refs) {
        files(repo, ref, suffix).forEach((id, bytes) -> {
          if (id.startsWith(run)) {
            matches.put(id, bytes);
          }
        });
      }
      if (matches.size() == 1) {
        return matches.values().iterator().next();
      }
      if (matches.isEmpty()) {
        throw new IOException("no recorded run " + run + " has a " + suffix + " report; `plumb log` lists the runs");
      }
      throw new IOException("'" + run + "' names " + matches.size() + " runs (" + String.join(", ", matches.keySet())
          + "); give more of the id");
    }
  }

  /** Files {@code runs/<id><suffix>} at the tip of {@code ref}, by id. */
  private static Map<String, byte[]> files(Repository repo, String ref, String suffix) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    Ref tip = repo.exactRef(ref);
    if (tip == null) {
      return out;
    }
    try (RevWalk walk = new RevWalk(repo); TreeWalk tw = new TreeWalk(repo)) {
      tw.addTree(walk.parseCommit(tip.getObjectId()).getTree());
      tw.setRecursive(true);
      tw.setFilter(PathFilter.create("runs"));
      while (tw.next()) {
        String name = tw.getPathString().substring("runs/".length());
        if (name.endsWith(suffix) && !name.contains("/")) {
          ObjectId blob = tw.getObjectId(0);
          out.put(name.substring(0, name.length() - suffix.length()), repo.open(blob).getBytes());
        }
      }
    }
    return out;
  }

  /** A run from its JSON report; a file that is not one (hand-made, damaged) is skipped. */
  private static Optional<Run> parse(String id, String ref, byte[] bytes) {
    try {
      Map<?, ?> root = (Map<?, ?>) Json.parse(new String(bytes, StandardCharsets.UTF_8));
      Map<?, ?> record = root.get("record") instanceof Map<?, ?> m ? m : Map.of();
      Instant time = record.get("time") instanceof String t ? Instant.parse(t) : timeFromId(id);
      Optional<RepoState> source = record.get("commit") instanceof String c
          ? Optional.of(new RepoState(c, Boolean.TRUE.equals(record.get("dirty")))) : Optional.empty();
      List<HostRun> hosts = new ArrayList<>();
      if (root.get("hosts") instanceof List<?> list) {
        for (Object o : list) {
          Map<?, ?> h = (Map<?, ?>) o;
          int changes = 0;
          if (h.get("steps") instanceof List<?> steps) {
            for (Object s : steps) {
              if (s instanceof Map<?, ?> step && !"none".equals(step.get("action"))) {
                changes++;
              }
            }
          }
          hosts.add(new HostRun(String.valueOf(h.get("name")), String.valueOf(h.get("outcome")), changes));
        }
      }
      int exit = root.get("exit_code") instanceof Number n ? n.intValue() : 0;
      return Optional.of(new Run(id, ref, time, String.valueOf(root.get("command")), String.valueOf(root.get("playbook")),
          source, exit, hosts));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Ids written before records carried their time start with it: 20260101T120000.000Z-… */
  private static Instant timeFromId(String id) {
    try {
      return java.time.LocalDateTime.parse(id.substring(0, 19), java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS"))
          .toInstant(java.time.ZoneOffset.UTC);
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }
}
