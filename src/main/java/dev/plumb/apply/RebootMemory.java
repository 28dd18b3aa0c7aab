package dev.plumb.apply;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.load.HostCatalog;
import dev.plumb.load.Resource;
import dev.plumb.plan.HostPlan;
import dev.plumb.plan.Step;
import dev.plumb.transport.Connection;
import dev.plumb.transport.ExecResult;
import dev.plumb.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reboot memory across runs: a host whose reboot does not take must not reboot on every run. Before
 * it reboots a host, a run writes on the host ({@link #PATH}) the boot_id it had, when, and the cause:
 * each resource the reboot is for, with the digest of what it declares ({@link
 * Resource#declaredDigest}). A reboot that made the state live removes the record; one that did not
 * leaves it, and a later run that would reboot again for the same unchanged cause is refused with
 * the report. A changed cause (another declared value, another resource) allows one more reboot, as
 * does {@code apply --reboot force}; so does removing the file on the host.
 *
 * <p>On the host, not in the ledger: every run that can reboot the host reads it with the facts,
 * whichever checkout or machine it runs from (watch, pull, several operators).
 */
final class RebootMemory {
  static final String PATH = "/var/lib/plumb/reboot-attempt";
  /** Read with the host's facts (missing when no attempt is remembered). */
  static final Fact FACT = Fact.file(PATH);

  /** stdin to a temp file next to the record, renamed over it: a kill never leaves half a record. */
  static final String WRITE = "mkdir -p /var/lib/plumb && t=$(mktemp /var/lib/plumb/.reboot-attempt.XXXXXX)"
      + " && cat > \"$t\" && mv -f -- \"$t\" " + PATH;
  static final String CLEAR = "rm -f -- " + PATH;

  private static final String HEADER = "plumb reboot attempt, v1";
  private static final int LONGEST_VALUE = 200;
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

  private RebootMemory() {}

  /**
   * One remembered reboot.
   *
   * @param bootIdBefore the host's boot_id when the reboot was triggered
   * @param at when
   * @param cause resource id to the digest of what it declared then
   * @param expected per resource of the cause, what the reboot was to make live ({@code id: value})
   */
  record Attempt(String bootIdBefore, Instant at, Map<String, String> cause, List<String> expected) {
    Attempt {
      cause = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cause));
      expected = List.copyOf(expected);
    }

    /**
     * Why a reboot for {@code causeNow} must not happen, or empty when it may. Refused when the host
     * has rebooted since the attempt (its boot_id moved: the reboot happened, and the state still
     * waits for one) and every resource the reboot would be for now declared the same when it was
     * tried.
     *
     * @param runningNow per resource of the cause, what the host runs instead (the plan's notes)
     */
    Optional<String> refuses(String bootIdNow, Map<String, String> causeNow, List<String> runningNow) {
      if (bootIdNow.isEmpty() || bootIdNow.equals(bootIdBefore) || causeNow.isEmpty()) {
        return Optional.empty();
      }
      boolean unchanged = causeNow.entrySet().stream().allMatch(e -> e.getValue().equals(cause.get(e.getKey())));
      if (!unchanged) {
        return Optional.empty();
      }
      return Optional.of("not rebooting: a reboot at " + at + " (boot_id " + bootIdBefore + ") for the same unchanged cause"
          + " did not take. Expected: " + String.join("; ", expected)
          + ". The host runs: " + (runningNow.isEmpty() ? "(no detail)" : String.join("; ", runningNow))
          + ". Find why the boot ignores it (the boot loader's default entry, the kernel's arguments), then run"
          + " apply --reboot force to reboot once more (or change the declared value; the record is " + PATH + " on the host)");
    }

    String encode() {
      StringBuilder out = new StringBuilder(HEADER).append('\n');
      out.append("boot_id_before\t").append(oneLine(bootIdBefore)).append('\n');
      out.append("at\t").append(at).append('\n');
      cause.forEach((id, digest) -> out.append("cause\t").append(oneLine(digest)).append('\t').append(oneLine(id)).append('\n'));
      expected.forEach(e -> out.append("expected\t").append(oneLine(e)).append('\n'));
      return out.toString();
    }

    /** Empty when the text is not a record this version wrote (then it is ignored and rewritten). */
    static Optional<Attempt> decode(String text) {
      List<String> lines = text.lines().toList();
      if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
        return Optional.empty();
      }
      String bootId = null;
      Instant at = null;
      Map<String, String> cause = new LinkedHashMap<>();
      List<String> expected = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split("\t", 3);
        switch (f[0]) {
          case "boot_id_before" -> bootId = f.length > 1 ? f[1] : "";
          case "at" -> at = f.length > 1 ? instant(f[1]) : null;
          case "cause" -> {
            if (f.length == 3) {
              cause.put(f[2], f[1]);
            }
          }
          case "expected" -> expected.add(f.length > 1 ? f[1] : "");
          default -> { }
        }
      }
      if (bootId == null || at == null || cause.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Attempt(bootId, at, cause, expected));
    }
  }

  /** The attempt remembered on the host, as read with its facts. */
  static Optional<Attempt> read(FactSet facts) {
    if (facts.asRead().get(FACT) instanceof FactResult.Content c) {
      return Attempt.decode(new String(c.bytes(), StandardCharsets.UTF_8));
    }
    return Optional.empty();
  }

  /**
   * The steps a reboot is for, in {@code plan} made from the facts read just before it: those whose
   * running state differs from the next boot. Not a change still to be made (a step deferred until
   * after the reboot): the reboot is not for it.
   */
  static List<Step> needingReboot(HostPlan plan) {
    return plan.steps().stream().filter(s -> s.change().rebootPending()).toList();
  }

  /** What a reboot is for ({@link #needingReboot}): resource id to the digest of its declaration. */
  static Map<String, String> cause(HostCatalog catalog, HostPlan plan) {
    Map<String, Resource> byId = new LinkedHashMap<>();
    catalog.resources().forEach(r -> byId.put(r.id(), r));
    Map<String, String> out = new LinkedHashMap<>();
    for (Step s : needingReboot(plan)) {
      Resource r = byId.get(s.id());
      out.put(s.id(), r == null ? "undeclared" : r.declaredDigest());
    }
    return out;
  }

  /** Per step the reboot is for, the value it is to make live. */
  static List<String> expected(HostPlan plan) {
    return needingReboot(plan).stream().map(s -> s.id() + ": " + shorten(s.change().after())).toList();
  }

  /** Per step the reboot is for, what the host runs instead (its notes), for the report. */
  static List<String> running(HostPlan plan) {
    return needingReboot(plan).stream().filter(s -> !s.change().notes().isEmpty())
        .map(s -> s.id() + ": " + shorten(String.join("; ", s.change().notes()))).toList();
  }

  /** Writes the record before the reboot. A run that cannot remember the attempt does not reboot. */
  static void remember(Connection connection, Attempt attempt) throws TransportException {
    ExecResult r = connection.exec(WRITE, attempt.encode().getBytes(StandardCharsets.UTF_8), WRITE_TIMEOUT);
    if (!r.ok()) {
      throw new TransportException("could not record the reboot attempt in " + PATH + ": " + r.stderrText().strip(), false);
    }
  }

  /** The reboot took, or nothing waits for one any more: the attempt is no longer a reason to refuse. */
  static void forget(Connection connection) throws TransportException {
    ExecResult r = connection.exec(CLEAR, new byte[0], WRITE_TIMEOUT);
    if (!r.ok()) {
      throw new TransportException("could not remove " + PATH + ": " + r.stderrText().strip(), false);
    }
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String oneLine(String s) {
    return s.replaceAll("[\\t\\r\\n]+", " ");
  }

  private static String shorten(String s) {
    String one = oneLine(s).strip();
    return one.length() <= LONGEST_VALUE ? one : one.substring(0, LONGEST_VALUE) + "…";
  }
}
