package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.ledger.RepoState;
import dev.plumb.plan.HostPlan;
import dev.plumb.plan.PlanJson;
import dev.plumb.text.Json;
import dev.plumb.text.Sensitive;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plan written by {@code plumb plan -o FILE} and run by {@code plumb apply FILE}: what the plan
 * was made from (plumb version, playbook commit, digests of every source file and of every fact per
 * host) and per host the steps with their exact commands. Apply refuses the whole plan when a
 * source file changed, and a host when one of its facts moved; otherwise it runs the saved
 * commands as they are. No secret is written in clear: fact texts and commands go through the
 * run's redaction, and a command that carried a secret is kept as a digest and must be made again,
 * identically, at apply. What apply decides from a saved plan is {@link SavedPlanCheck}'s.
 */
final class SavedPlan {
  static final int VERSION = 1;

  private SavedPlan() {}

  /** How the plan was asked for; apply loads the same input with the same options. */
  record Input(String playbook, String inventory, String limit, List<String> tags, String reboot, String extraVarsSha256) {}

  /** A fact as saved: its digest, and its text (redacted) when it is text, for the diff. */
  record SavedFact(String digest, Optional<String> text) {}

  /**
   * One host of a saved plan.
   *
   * @param plan the plan; empty when the host had none (unreachable or failed when planned)
   * @param notPlanned why it has no plan
   * @param facts every fact the plan was made from
   * @param withheld per step id and command position, the sha256 of a command withheld for its secret
   */
  record SavedHost(String name, Optional<HostPlan> plan, String notPlanned, Map<Fact, SavedFact> facts,
      Map<String, Map<Integer, String>> withheld) {}

  record Loaded(Input input, Map<String, String> files, Map<String, SavedHost> hosts, String commit) {}

  /** -e arguments may carry secrets, so only their digest is saved; apply must be given the same ones. */
  static String extraVarsDigest(List<String> extraVars) {
    return FactResult.sha256(String.join("\0", extraVars).getBytes(StandardCharsets.UTF_8));
  }

  // ---- writing

  static String write(RunReport report, Input input, List<Path> files, Optional<RepoState> source, Sensitive secrets)
      throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("saved_plan", VERSION);
    root.put("plumb_version", Main.VERSION);
    root.put("created", Instant.now().toString());
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("playbook", input.playbook());
    in.put("inventory", input.inventory());
    in.put("limit", input.limit());
    in.put("tags", input.tags());
    in.put("reboot", input.reboot());
    in.put("extra_vars_sha256", input.extraVarsSha256());
    root.put("input", in);
    Map<String, Object> src = new LinkedHashMap<>();
    src.put("commit", source.map(RepoState::commit).orElse(null));
    src.put("dirty", source.map(RepoState::dirty).orElse(null));
    root.put("repository", src);
    List<Object> digests = new ArrayList<>();
    for (Path f : files) {
      digests.add(Map.of("path", f.toString(), "sha256", FactResult.sha256(Files.readAllBytes(f))));
    }
    root.put("files", digests);
    List<Object> hosts = new ArrayList<>();
    for (HostResult h : report.hosts()) {
      hosts.add(host(h, secrets));
    }
    root.put("hosts", hosts);
    return Json.pretty(root) + "\n";
  }

  private static Map<String, Object> host(HostResult h, Sensitive secrets) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", h.host());
    if (h.plan().isEmpty() || h.facts().isEmpty()) {
      m.put("not_planned", secrets.redact(h.outcome().word() + ": " + String.join("; ", h.problems())));
      return m;
    }
    List<Object> facts = new ArrayList<>();
    h.facts().get().asRead().forEach((fact, result) -> {
      // Named as the plan's JSON names facts: every kind, globs too (kernel_cmdline reads grub.d/*.cfg).
      Map<String, Object> f = PlanJson.factJson(fact);
      f.put("digest", FactResult.digest(result));
      text(result).ifPresent(t -> f.put("text", secrets.digestAll(t)));
      facts.add(f);
    });
    m.put("facts", facts);
    m.put("plan", planJson(h.plan().get(), secrets));
    return m;
  }

  /**
   * The plan as {@link PlanJson} writes it, minus what could hold a secret: predicted file contents
   * (apply does not need them) and the argv/stdin of a command that carries a secret (kept as a
   * digest). Text fields go through the redaction too.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> planJson(HostPlan plan, Sensitive secrets) {
    Map<String, Object> json = PlanJson.toJson(plan);
    for (Object o : (List<Object>) json.get("steps")) {
      Map<String, Object> step = (Map<String, Object>) o;
      step.put("writes", List.of());
      for (String field : List.of("before", "after", "diff")) {
        step.put(field, secrets.redact(String.valueOf(step.get(field))));
      }
      for (Object c : (List<Object>) step.get("commands")) {
        Map<String, Object> cmd = (Map<String, Object>) c;
        List<String> argv = (List<String>) cmd.get("argv");
        byte[] stdin = Base64.getDecoder().decode((String) cmd.get("stdin_base64"));
        if (carriesSecret(argv, stdin, secrets)) {
          cmd.put("withheld_sha256", commandDigest(argv, stdin));
          cmd.put("argv", argv.stream().map(secrets::redact).map(Sensitive::redactCredentialLines).toList());
          cmd.put("stdin_base64", "");
        }
        cmd.put("shown", secrets.redact(String.valueOf(cmd.get("shown"))));
      }
    }
    return json;
  }

  private static boolean carriesSecret(List<String> argv, byte[] stdin, Sensitive secrets) {
    for (String a : argv) {
      if (!secrets.digestAll(a).equals(a)) {
        return true;
      }
    }
    String in = new String(stdin, StandardCharsets.UTF_8);
    return !secrets.digestAll(in).equals(in);
  }

  static String commandDigest(List<String> argv, byte[] stdin) {
    StringBuilder all = new StringBuilder();
    argv.forEach(a -> all.append(a).append('\0'));
    all.append('\0').append(Base64.getEncoder().encodeToString(stdin));
    return FactResult.sha256(all.toString().getBytes(StandardCharsets.UTF_8));
  }

  static Optional<String> text(FactResult r) {
    byte[] bytes = r instanceof FactResult.Content c ? c.bytes() : r instanceof FactResult.Output o ? o.stdout() : null;
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  // ---- reading

  /** @throws IllegalArgumentException saying what is wrong with the file and what to do */
  @SuppressWarnings("unchecked")
  static Loaded read(Path file) throws IOException {
    Object parsed;
    try {
      parsed = Json.parse(Files.readString(file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + " is not a saved plan (not JSON: " + e.getMessage() + ")");
    }
    if (!(parsed instanceof Map<?, ?> raw) || !(raw.get("saved_plan") instanceof Number version)) {
      throw new IllegalArgumentException(file + " is not a saved plan (no \"saved_plan\" field); write one with plumb plan -o FILE");
    }
    if (version.intValue() != VERSION) {
      throw new IllegalArgumentException(file + " is a saved plan of version " + version + "; this plumb reads version "
          + VERSION + ": make the plan again");
    }
    Map<String, Object> root = (Map<String, Object>) raw;
    Map<String, Object> in = (Map<String, Object>) root.get("input");
    Input input = new Input((String) in.get("playbook"), (String) in.get("inventory"), (String) in.get("limit"),
        ((List<Object>) in.get("tags")).stream().map(String::valueOf).toList(), (String) in.get("reboot"),
        (String) in.get("extra_vars_sha256"));
    Map<String, String> files = new LinkedHashMap<>();
    for (Object o : (List<Object>) root.get("files")) {
      Map<String, Object> f = (Map<String, Object>) o;
      files.put((String) f.get("path"), (String) f.get("sha256"));
    }
    Map<String, SavedHost> hosts = new LinkedHashMap<>();
    for (Object o : (List<Object>) root.get("hosts")) {
      SavedHost h = savedHost((Map<String, Object>) o);
      hosts.put(h.name(), h);
    }
    Map<String, Object> repo = (Map<String, Object>) root.get("repository");
    return new Loaded(input, files, hosts, repo == null || repo.get("commit") == null ? "" : (String) repo.get("commit"));
  }

  @SuppressWarnings("unchecked")
  private static SavedHost savedHost(Map<String, Object> m) {
    String name = (String) m.get("name");
    if (m.get("plan") == null) {
      return new SavedHost(name, Optional.empty(), String.valueOf(m.get("not_planned")), Map.of(), Map.of());
    }
    Map<Fact, SavedFact> facts = new LinkedHashMap<>();
    List<Object> saved = (List<Object>) m.get("facts");
    for (int i = 0; i < saved.size(); i++) {
      Map<String, Object> f = (Map<String, Object>) saved.get(i);
      Fact fact = PlanJson.fact(f, "hosts[" + name + "].facts[" + i + "]");
      facts.put(fact, new SavedFact((String) f.get("digest"), Optional.ofNullable((String) f.get("text"))));
    }
    Map<String, Object> plan = (Map<String, Object>) m.get("plan");
    Map<String, Map<Integer, String>> withheld = new LinkedHashMap<>();
    for (Object s : (List<Object>) plan.get("steps")) {
      Map<String, Object> step = (Map<String, Object>) s;
      List<Object> commands = (List<Object>) step.get("commands");
      for (int i = 0; i < commands.size(); i++) {
        Object sha = ((Map<String, Object>) commands.get(i)).get("withheld_sha256");
        if (sha != null) {
          withheld.computeIfAbsent((String) step.get("id"), k -> new LinkedHashMap<>()).put(i, (String) sha);
        }
      }
    }
    return new SavedHost(name, Optional.of(PlanJson.fromJson(plan)), "", facts, withheld);
  }
}
