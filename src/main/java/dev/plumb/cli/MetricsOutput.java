package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.metrics.Metrics;
import dev.plumb.metrics.RunFigures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --metrics-file}: the run's figures in node_exporter's textfile format. A class of its own
 * so that the Prometheus client is loaded only when metrics are asked for.
 */
final class MetricsOutput {
  private MetricsOutput() {}

  /** Checked before any host is contacted: a textfile that cannot be written is a usage error. */
  static String problem(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return "--metrics-file " + file + ": the directory " + dir + " does not exist; create it or name a file in an existing one"
          + " (node_exporter reads *.prom files from its --collector.textfile.directory)";
    }
    if (!file.getFileName().toString().endsWith(".prom")) {
      return "--metrics-file " + file + ": node_exporter's textfile collector reads only files ending in .prom; name it e.g. plumb.prom";
    }
    return null;
  }

  /** The figures of a finished run. */
  static RunFigures figures(RunReport report, int exit, Instant finished) {
    List<RunFigures.HostFigures> hosts = new ArrayList<>();
    for (HostResult h : report.hosts()) {
      DriftCounts c = DriftCounts.of(h, report);
      hosts.add(RunFigures.of(h, c.drift(), c.rollout()));
    }
    return new RunFigures(report.verb(), finished, report.seconds(), exit, hosts);
  }

  /** Writes the textfile; false (after saying why) when it could not be written. */
  static boolean write(Path file, RunReport report, int exit, PrintWriter err) {
    Metrics metrics = new Metrics();
    metrics.record(figures(report, exit, Instant.now()));
    try {
      metrics.writeTextfile(file);
      return true;
    } catch (IOException e) {
      err.println("plumb: could not write the metrics file " + file + ": " + e.getMessage());
      return false;
    }
  }
}
