package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.ledger.FactsCodec;
import dev.plumb.pull.PullException;
import dev.plumb.text.Json;
import dev.plumb.text.Sensitive;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;

/** What {@code plumb pull} pushes to its host's ref after a run. */
final class PullRecord {
  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private PullRecord() {}

  /**
   * The record's tree, in the ledger's layout ({@code runs/<id>.json} with a {@code record} object,
   * {@code hosts/<name>/facts.json}) so that {@code plumb log} reads a host's ref as it reads the
   * ledger. Only this run is in the tree: earlier runs are the record's parents, and a controller
   * fetching every host's ref at depth 1 gets one run per host, however long the fleet has run.
   */
  static Map<String, byte[]> files(String json, List<HostResult> results, ObjectId commit,
      PullException fetchFailure, Sensitive secrets, String recordName, Instant now) {
    String id = RUN_ID.format(now) + "-pull-" + recordName;
    @SuppressWarnings("unchecked")
    Map<String, Object> root = new LinkedHashMap<>((Map<String, Object>) Json.parse(json));
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("run", id);
    record.put("time", now.toString());
    record.put("commit", commit.name());
    record.put("dirty", false);
    record.put("mode", "pull");
    if (fetchFailure != null) {
      record.put("fetch_error", fetchFailure.getMessage());
    }
    root.put("record", record);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("runs/" + id + ".json", (Json.pretty(root) + "\n").getBytes(StandardCharsets.UTF_8));
    files.put("commit", (commit.name() + "\n").getBytes(StandardCharsets.UTF_8));
    for (HostResult h : results) {
      h.facts().ifPresent(f -> files.put("hosts/" + h.host() + "/facts.json",
          (Json.pretty(FactsCodec.encode(f, secrets)) + "\n").getBytes(StandardCharsets.UTF_8)));
    }
    return files;
  }
}
