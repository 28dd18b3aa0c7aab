package dev.plumb.apply;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.text.Shell;
import dev.plumb.transport.Connection;
import dev.plumb.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A lease on one host: while a run holds it, no other plumb run changes that host.
 *
 * <p>The lock lives on the host: {@code flock} on {@code /run/plumb/lease}, taken by a shell that then waits
 * for EOF on its stdin, on an exec channel of plumb's own session. When plumb ends, is killed, or
 * its connection drops, that channel closes, the shell reads EOF and exits, and the kernel drops
 * the lock: there is never a stale lock to clean by hand. {@code /run/plumb/lease.holder} names the holder for
 * whoever finds the lock taken.
 *
 * <p>It works over any {@link Connection} that can {@link Connection#hold hold} a command, the
 * local one included (pull mode runs on the host itself).
 *
 * <p>One class over 250 lines because taking the lease (the shell script), probing it (the fact
 * plan and check read) and describing its holder all speak one on-host format, the lock file and
 * the holder line; kept together, a change to that format is made in one place.
 */
public final class Lease implements AutoCloseable {
  /**
   * Where the lock lives on every host. The system property {@code plumb.lease.dir} moves it, for
   * the unit tests only: they apply to this machine and must not contend with other test runs on it.
   */
  public static final String DIR = System.getProperty("plumb.lease.dir", "/run/plumb");
  public static final String LOCK = DIR + "/lease";
  public static final String HOLDER = DIR + "/lease.holder";

  /**
   * Who holds the lease, as the holder file says.
   *
   * @param runId the run's id
   * @param controller the host name of the machine plumb runs on
   * @param pid plumb's process id there
   * @param since when the run started
   */
  public record Holder(String runId, String controller, long pid, Instant since) {
    /** This process, for a run with id {@code runId}. */
    public static Holder thisProcess(String runId, Instant started) {
      return new Holder(runId, controllerName(), ProcessHandle.current().pid(), started.truncatedTo(ChronoUnit.SECONDS));
    }

    /** A new run id: the start time and a random part, unique across controllers. */
    public static String newRunId(Instant started) {
      String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
          .withZone(java.time.ZoneOffset.UTC).format(started);
      return stamp + "-" + java.util.HexFormat.of().toHexDigits((short) new java.security.SecureRandom().nextInt());
    }

    /** One line, {@code key=value} words: what the holder file holds. */
    public String line() {
      return "run=" + runId + " controller=" + controller + " pid=" + pid + " since=" + since;
    }

    /** For people: "run R from C (pid P) since T". */
    public String describe() {
      return "run " + runId + " from " + controller + " (pid " + pid + ") since " + since;
    }

    /** Parses {@link #line()}; empty when the text is not one. */
    public static Optional<Holder> parse(String text) {
      Map<String, String> words = new LinkedHashMap<>();
      for (String word : text.strip().split("\\s+")) {
        int eq = word.indexOf('=');
        if (eq > 0) {
          words.put(word.substring(0, eq), word.substring(eq + 1));
        }
      }
      try {
        return Optional.of(new Holder(words.get("run"), words.get("controller"), Long.parseLong(words.get("pid")),
            Instant.parse(words.get("since"))));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }

    private static String controllerName() {
      String name = System.getenv("HOSTNAME");
      if (name == null || name.isBlank()) {
        try {
          name = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
          name = "unknown";
        }
      }
      // The holder file is one line of words.
      return name.strip().replaceAll("\\s+", "_");
    }
  }

  /** What asking for the lease gave. */
  public sealed interface Attempt {
    /**
     * The lease is ours until closed.
     *
     * @param generation how many times the lease was taken on this host since it booted, this time
     *     included: one more than the probe read with the facts means nobody held it in between
     */
    record Acquired(Lease lease, long generation) implements Attempt {}

    /**
     * Another run holds it.
     *
     * @param holder what the holder file says (raw when it is not a holder line; empty when absent)
     */
    record Busy(String holder) implements Attempt {
      /** "run R from C (pid P) since T", or the raw text, or "an unknown holder". */
      public String describe() {
        return describeHolder(holder);
      }
    }

    /** The host cannot hold a lease (no flock, no /run): a reason to stop, not to go on unguarded. */
    record Unavailable(String reason) implements Attempt {}
  }

  /**
   * A fact read with every host's facts: {@code gen N} (how many times the lease was taken since
   * boot), then the holder line while someone holds the lease. plan and check, who take no lease,
   * say who is applying; apply compares the generation with the one it gets when it takes the
   * lease, to know whether another run got in between (then it reads the facts again). The shared
   * lock it probes with is held for an instant; {@link #acquire} retries once to step over it.
   */
  public static final Fact PROBE = probe(DIR);

  static Fact probe(String dir) {
    String lock = Shell.quote(dir + "/lease");
    String holderFile = Shell.quote(dir + "/lease.holder");
    String gen = Shell.quote(dir + "/lease.gen");
    // The generation by the shell's own read (no process: this runs on every host at every read of
    // facts), inline (no subshell); flock and cat run only while a holder is recorded.
    return Fact.Command.inline("g=0; if [ -f " + gen + " ] && [ -r " + gen + " ]; then g=; read -r g <" + gen + "; fi; printf 'gen %s\\n' \"$g\"\n"
        + "if [ -s " + holderFile + " ] && command -v flock >/dev/null 2>&1 && ! flock -n -s " + lock
        + " true 2>/dev/null; then cat " + holderFile + "; fi");
  }

  /** Who holds the lease according to the probe read with the facts; empty when nobody. */
  public static Optional<String> heldBy(FactSet facts) {
    return heldBy(facts.asRead().get(PROBE));
  }

  static Optional<String> heldBy(FactResult probe) {
    if (probe instanceof FactResult.Output out && out.ok()) {
      String text = out.text();
      String holder = text.startsWith("gen ") ? text.substring(text.indexOf('\n') + 1) : text;
      if (!holder.isBlank()) {
        return Optional.of(describeHolder(holder));
      }
    }
    return Optional.empty();
  }

  /** The lease generation the probe read; -1 when unknown. */
  public static long generation(FactSet facts) {
    if (facts.asRead().get(PROBE) instanceof FactResult.Output out && out.ok() && out.text().startsWith("gen ")) {
      String first = out.text().lines().findFirst().orElse("");
      try {
        return Long.parseLong(first.substring(4).strip());
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  static String describeHolder(String text) {
    if (text == null || text.isBlank()) {
      return "an unknown holder";
    }
    return Holder.parse(text).map(Holder::describe).orElse(text.strip());
  }

  private final Connection.Held held;
  private final Holder holder;

  private Lease(Connection.Held held, Holder holder) {
    this.held = held;
    this.holder = holder;
  }

  public Holder holder() {
    return holder;
  }

  /**
   * Asks for the lease on the host behind {@code connection}, without waiting for a holder to let
   * go. The lease is held by one exec channel of that connection.
   *
   * @throws TransportException when the host could not be asked (the connection failed)
   */
  public static Attempt acquire(Connection connection, Holder me, Duration timeout) throws TransportException {
    return acquire(connection, me, timeout, DIR);
  }

  /** The same, with the lock in {@code dir} instead of /run/plumb (tests on this machine). */
  static Attempt acquire(Connection connection, Holder me, Duration timeout, String dir) throws TransportException {
    Connection.Held held = connection.hold(script(me, dir), new byte[0]);
    boolean keep = false;
    try {
      Optional<String> line = held.readLine(timeout);
      if (line.isEmpty()) {
        return new Attempt.Unavailable("the lease command on " + connection.host() + " ended without an answer");
      }
      String answer = line.get();
      if (answer.startsWith("HELD")) {
        keep = true;
        long generation;
        try {
          generation = Long.parseLong(answer.substring(4).strip());
        } catch (NumberFormatException e) {
          generation = -1;
        }
        return new Attempt.Acquired(new Lease(held, me), generation);
      }
      if (answer.startsWith("BUSY")) {
        return new Attempt.Busy(answer.substring(4).strip());
      }
      return new Attempt.Unavailable(answer.startsWith("ERROR ") ? answer.substring(6) : answer);
    } finally {
      if (!keep) {
        held.close();
      }
    }
  }

  /** The shell that takes the lock and holds it until its stdin ends. Stdin stays silent until then. */
  static String script(Holder me, String dir) {
    String lock = Shell.quote(dir + "/lease");
    String holderFile = Shell.quote(dir + "/lease.holder");
    String holderNew = Shell.quote(dir + "/lease.holder.new");
    String gen = Shell.quote(dir + "/lease.gen");
    return String.join("\n",
        "command -v flock >/dev/null 2>&1 || { echo 'ERROR flock(1) is not installed on this host; install util-linux'; exit 0; }",
        "{ mkdir -p " + Shell.quote(dir) + " && exec 9>>" + lock + "; } 2>/dev/null || { echo 'ERROR cannot open "
            + dir + "/lease (plumb needs root there: set become)'; exit 0; }",
        // A plan or check probing the lock holds it shared for an instant: try once more after it.
        "if ! flock -n 9; then sleep 0.2; if ! flock -n 9; then printf 'BUSY %s\\n' \"$(cat " + holderFile
            + " 2>/dev/null)\"; exit 0; fi; fi",
        "printf '%s\\n' " + Shell.quote(me.line()) + " > " + holderNew + " && mv -f " + holderNew + " " + holderFile,
        "g=$(( $(cat " + gen + " 2>/dev/null || echo 0) + 1 )); echo \"$g\" > " + gen,
        "echo \"HELD $g\"",
        "cat >/dev/null",
        "rm -f " + holderFile,
        "");
  }

  /** Lets go of the lease: EOF to the holding shell, which removes the holder file and exits. */
  @Override
  public void close() {
    held.close();
  }
}
