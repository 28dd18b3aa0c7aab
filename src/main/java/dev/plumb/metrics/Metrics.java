package dev.plumb.metrics;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * plumb's metrics in the Prometheus text exposition format: per host and per run, set from {@link
 * RunFigures}. A textfile for node_exporter's textfile collector (check, apply), or the registry a
 * {@code /metrics} endpoint serves (watch). Only loaded when metrics are asked for: the Prometheus
 * client is not on the path of an ordinary run.
 */
public final class Metrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Gauge drifted = gauge("plumb_host_drifted_resources",
      "Resources whose host moved away from the state it last converged to (desired state unchanged).", "host");
  private final Gauge rollout = gauge("plumb_host_rollout_pending_resources",
      "Resources whose desired state changed since the host last converged (or never recorded): waiting for a rollout.", "host");
  private final Gauge reachable = gauge("plumb_host_reachable", "1 when the host's facts could be read in the last run.", "host");
  private final Gauge locked = gauge("plumb_host_locked", "1 when another apply held the host's lease in the last run.", "host");
  private final Gauge rebootPending = gauge("plumb_host_reboot_pending",
      "1 when the host's running system differs from its next boot.", "host");
  private final Gauge lastRun = gauge("plumb_host_last_run_timestamp_seconds", "When the last run on the host ended (Unix time).", "host");
  private final Gauge verdict = gauge("plumb_host_verdict",
      "The host's verdict in the last run: 1 for the verdict it had, 0 for the others.", "host", "verdict");
  private final Gauge runSeconds = gauge("plumb_run_duration_seconds", "Wall time of the last run.", "command");
  private final Gauge runEnded = gauge("plumb_run_timestamp_seconds", "When the last run ended (Unix time).", "command");
  private final Gauge runExit = gauge("plumb_run_exit_code", "The exit code of the last run (0, 2 drift, 3 a host failed).", "command");
  private final Gauge runHosts = gauge("plumb_run_hosts", "Hosts of the last run by verdict.", "command", "verdict");
  private final Set<String> hostsSeen = new HashSet<>();

  private Gauge gauge(String name, String help, String... labels) {
    return Gauge.builder().name(name).help(help).labelNames(labels).register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /**
   * Sets every figure from one run. Hosts of earlier runs that are not in this one keep their
   * last values (a watch over a changing inventory drops them only when it reloads).
   */
  public synchronized void record(RunFigures run) {
    double ended = run.finished().toEpochMilli() / 1000.0;
    for (RunFigures.HostFigures h : run.hosts()) {
      drifted.labelValues(h.host()).set(h.drifted());
      rollout.labelValues(h.host()).set(h.rolloutPending());
      reachable.labelValues(h.host()).set(h.reachable() ? 1 : 0);
      locked.labelValues(h.host()).set(h.locked() ? 1 : 0);
      rebootPending.labelValues(h.host()).set(h.rebootPending() ? 1 : 0);
      lastRun.labelValues(h.host()).set(ended);
      for (String v : RunFigures.verdicts()) {
        verdict.labelValues(h.host(), v).set(v.equals(h.verdict()) ? 1 : 0);
      }
      hostsSeen.add(h.host());
    }
    runSeconds.labelValues(run.command()).set(run.seconds());
    runEnded.labelValues(run.command()).set(ended);
    runExit.labelValues(run.command()).set(run.exitCode());
    for (String v : RunFigures.verdicts()) {
      runHosts.labelValues(run.command(), v).set(run.count(v));
    }
  }

  /** Forgets hosts no longer in the inventory. */
  public synchronized void retainHosts(Set<String> hosts) {
    for (String gone : List.copyOf(hostsSeen)) {
      if (!hosts.contains(gone)) {
        for (Gauge g : List.of(drifted, rollout, reachable, locked, rebootPending, lastRun)) {
          g.remove(gone);
        }
        verdict.removeIf(labels -> labels.get(0).equals(gone));
        hostsSeen.remove(gone);
      }
    }
  }

  /** The text exposition format (what node_exporter's textfile collector and Prometheus read). */
  public synchronized String text() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  private void write(OutputStream out) throws IOException {
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
  }

  /**
   * Writes the textfile atomically: a temp file in the same directory, then a rename over the
   * target, so the collector never reads half a file.
   */
  public void writeTextfile(Path file) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      Files.writeString(temp, text());
      // node_exporter usually runs as its own user: the file must be readable by others.
      Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
