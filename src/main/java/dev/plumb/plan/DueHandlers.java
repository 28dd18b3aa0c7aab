package dev.plumb.plan;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.facts.FileListing;
import dev.plumb.modules.Command;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Handlers that are due stay due until they have run, across runs: a notifier's commands start by
 * writing one marker file per handler it notifies under {@link #DIR} on the host, and a handler's
 * commands end by removing its marker. A run that stops in between (kill -9, a lost connection, a
 * failed handler) leaves the marker; the next plan reads the markers with the other facts and
 * plans the handler, notified by {@link #EARLIER_RUN}, even when nothing notifies it now.
 *
 * <p>Why a marker and not a comparison of times (the initramfs older than the modprobe.d files, a
 * service started before its config last changed): a handler is any command (a restart, a rebuild,
 * a reload), and only a marker says for every one of them that it was owed. Times lie besides:
 * files installed with their mtime kept (cp -p, packages), clocks stepped at boot, a monotonic
 * start time that restarts from zero at every boot, an initramfs built from more files than the
 * playbook manages. The marker is written before the notifier changes anything, so no kill point
 * loses it; at worst (killed after the marker, before the change) the handler runs once more.
 */
public final class DueHandlers {
  /** Where the markers live on a host: one file per due handler, its content the handler's id. */
  public static final String DIR = "/var/lib/plumb/pending";
  /** The markers, read with the host's facts when its catalog has a handler. */
  public static final Fact FACT = Fact.files(DIR + "/*");
  /** The notifier a handler due from an interrupted run is shown as notified by. */
  public static final String EARLIER_RUN = "an earlier run";

  private static final String MARK_SCRIPT =
      "set -e; d=$1; shift; mkdir -p -- \"$d\"; "
          + "while [ $# -gt 1 ]; do printf '%s\\n' \"$2\" > \"$d/$1\"; shift 2; done";
  private static final String CLEAR_SCRIPT = "rm -f -- \"$1\"";

  private DueHandlers() {}

  /**
   * The marker's file name: the id with every character outside {@code [A-Za-z0-9._-]} made
   * {@code _}, and a digest of the id so that two ids never share a file.
   */
  static String fileName(String handlerId) {
    String safe = handlerId.replaceAll("[^A-Za-z0-9._-]", "_");
    if (safe.length() > 80) {
      safe = safe.substring(0, 80);
    }
    String digest = FactResult.sha256(handlerId.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    return (safe.startsWith(".") ? "_" + safe.substring(1) : safe) + "-" + digest;
  }

  static String path(String handlerId) {
    return DIR + "/" + fileName(handlerId);
  }

  /** The first command of a notifier that changes: the handlers it notifies are due from now on. */
  static Command mark(List<String> handlerIds) {
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", MARK_SCRIPT, "plumb-due", DIR));
    for (String id : handlerIds) {
      argv.add(fileName(id));
      argv.add(id);
    }
    return new Command(argv, null, "plumb-due " + String.join(" ", handlerIds)
        + " (markers in " + DIR + ")");
  }

  /** The last command of a handler: it ran, it is no longer due. */
  static Command clear(String handlerId) {
    return new Command(List.of("/bin/sh", "-c", CLEAR_SCRIPT, "plumb-done", path(handlerId)), null,
        "plumb-done " + handlerId);
  }

  /** The file names of the markers found on the host (empty when none, or when not read). */
  static Set<String> markers(FactSet facts) {
    Set<String> names = new TreeSet<>();
    if (facts.asRead().get(FACT) instanceof FactResult.Output o && o.exitStatus() == 0) {
      try {
        for (String path : FileListing.parse(new String(o.stdout(), StandardCharsets.UTF_8)).keySet()) {
          names.add(path.substring(path.lastIndexOf('/') + 1));
        }
      } catch (IllegalArgumentException e) {
        // Not a listing: no marker can be trusted; the handlers are planned as their notifiers say.
      }
    }
    return names;
  }

  /** Whether {@code handlerId} was left due by an earlier run. */
  static boolean due(Set<String> markers, String handlerId) {
    return markers.contains(fileName(handlerId));
  }
}
