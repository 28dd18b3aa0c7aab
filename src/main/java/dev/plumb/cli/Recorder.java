package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.ledger.FactsCodec;
import dev.plumb.ledger.Ledger;
import dev.plumb.ledger.RepoState;
import dev.plumb.text.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Writes a run to the ledger: the JSON report under runs/, each host's facts under hosts/. */
final class Recorder {
  private Recorder() {}

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** The renderings of a run that are committed beside its JSON report, so {@code plumb show} prints any of them. */
  record Renderings(String json, String text, String markdown, String junit) {}

  /** The commit the playbook's repository has checked out (HEAD); empty outside a repository or when it cannot be read. */
  static Optional<String> headCommit(Path playbook) {
    try {
      Optional<org.eclipse.jgit.lib.Repository> found = dev.plumb.ledger.RepoState.open(playbook);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      try (org.eclipse.jgit.lib.Repository repo = found.get()) {
        return Optional.ofNullable(repo.resolve("HEAD")).map(org.eclipse.jgit.lib.ObjectId::name);
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code playbook} lies in a git repository (apply records by default only then). */
  static boolean inRepository(Path playbook) {
    try {
      Optional<Ledger> ledger = Ledger.find(playbook.toAbsolutePath().getParent());
      ledger.ifPresent(Ledger::close);
      return ledger.isPresent();
    } catch (IOException e) {
      return false;
    }
  }

  /** Records the run; {@code out} is already redacted, the facts are redacted here with {@code secrets}. */
  static boolean record(Path playbook, RunReport report, Renderings out, dev.plumb.text.Sensitive secrets,
      PrintWriter err) {
    return record(playbook, report, out, secrets, Map.of(), err);
  }

  /** The same, with more ledger files ({@code extra}: path to content), such as each host's convergence record. */
  static boolean record(Path playbook, RunReport report, Renderings out, dev.plumb.text.Sensitive secrets,
      Map<String, byte[]> extra, PrintWriter err) {
    Instant now = Instant.now();
    try {
      Optional<Ledger> found = Ledger.find(playbook.toAbsolutePath().getParent());
      if (found.isEmpty()) {
        err.println("plumb: --record needs the playbook in a git repository; " + playbook + " is not in one");
        err.println("    fix: run `git init` where your playbooks live, or leave out --record");
        return false;
      }
      Optional<RepoState> source = RepoState.of(playbook.toAbsolutePath());
      // Two runs of one verb in the same millisecond must not share a file name.
      String id = STAMP.format(now) + "-" + report.verb() + "-"
          + String.format("%04x", java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000));
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put("runs/" + id + ".json", withRecord(out.json(), id, now, source).getBytes(StandardCharsets.UTF_8));
      files.put("runs/" + id + ".txt", out.text().getBytes(StandardCharsets.UTF_8));
      files.put("runs/" + id + ".md", out.markdown().getBytes(StandardCharsets.UTF_8));
      if (out.junit() != null) {
        files.put("runs/" + id + ".xml", out.junit().getBytes(StandardCharsets.UTF_8));
      }
      for (HostResult h : report.hosts()) {
        h.facts().ifPresent(f -> files.put("hosts/" + h.host() + "/facts.json",
            (Json.pretty(FactsCodec.encode(f, secrets)) + "\n").getBytes(StandardCharsets.UTF_8)));
      }
      files.putAll(extra);
      String commit = source.map(s -> " from " + s.shortForm()).orElse("");
      try (Ledger ledger = found.get()) {
        String tip = ledger.record("plumb " + report.verb() + " " + playbook + " on " + report.hosts().size() + (report.hosts().size() == 1 ? " host" : " hosts")
            + commit + "\n\nrun " + id, files, now).name();
        err.println("recorded in " + Ledger.REF + " at " + tip.substring(0, 12) + " (run " + id + ")");
      }
      return true;
    } catch (IOException e) {
      err.println("plumb: could not record the run in " + Ledger.REF + ": " + e.getMessage());
      return false;
    }
  }

  /** The JSON report with a {@code record} object: the run's id, time and the playbook commit. */
  private static String withRecord(String json, String id, Instant now, Optional<RepoState> source) {
    @SuppressWarnings("unchecked")
    Map<String, Object> root = new LinkedHashMap<>((Map<String, Object>) Json.parse(json));
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("run", id);
    record.put("time", now.toString());
    source.ifPresent(s -> {
      record.put("commit", s.commit());
      record.put("dirty", s.dirty());
    });
    root.put("record", record);
    return Json.pretty(root) + "\n";
  }

  /**
   * Facts recorded in the ledger, by host name. A host with no recorded facts fails with a clear
   * message rather than being contacted behind the user's back.
   */
  static Optional<java.util.function.Function<String, Optional<dev.plumb.facts.FactSet>>> recordedFacts(
      String source, Path playbook, PrintWriter err) {
    if (!source.equals("ledger")) {
      err.println("plumb: --facts-from takes 'ledger' (facts recorded with --record), not '" + source + "'");
      return Optional.empty();
    }
    Path dir = playbook.toAbsolutePath().getParent();
    try {
      Optional<Ledger> found = Ledger.find(dir);
      found.ifPresent(Ledger::close);
      if (found.isEmpty()) {
        err.println("plumb: --facts-from ledger needs the playbook in a git repository; " + playbook + " is not in one");
        return Optional.empty();
      }
      // The ledger is opened for each host's read and closed right after: the function goes to the
      // runner's forks, and nothing would close a repository it held for them.
      return Optional.of(host -> {
        try (Ledger ledger = Ledger.find(dir).orElseThrow(() -> new IOException(dir + " is no longer in a git repository"))) {
          Optional<byte[]> json = ledger.read("hosts/" + host + "/facts.json");
          if (json.isEmpty()) {
            return Optional.of(dev.plumb.facts.FactSet.of(java.util.Map.of()));
          }
          return Optional.of(FactsCodec.decode((java.util.List<?>) Json.parse(new String(json.get(), StandardCharsets.UTF_8))));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      err.println("plumb: could not read " + Ledger.REF + ": " + e.getMessage());
      return Optional.empty();
    }
  }
}
