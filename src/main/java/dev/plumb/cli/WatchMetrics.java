package dev.plumb.cli;

import dev.plumb.metrics.Metrics;
import dev.plumb.metrics.RunFigures;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.util.Set;

/**
 * {@code watch --metrics-listen}: the last cycle's figures served at /metrics by the Prometheus
 * client's HTTP server. A class of its own so that the client is loaded only when asked for.
 */
final class WatchMetrics implements AutoCloseable {
  private final Metrics metrics;
  private final HTTPServer server;

  private WatchMetrics(Metrics metrics, HTTPServer server) {
    this.metrics = metrics;
    this.server = server;
  }

  static WatchMetrics start(String address, int port) throws IOException {
    Metrics metrics = new Metrics();
    HTTPServer server = HTTPServer.builder().hostname(address).port(port).registry(metrics.registry()).buildAndStart();
    return new WatchMetrics(metrics, server);
  }

  /** One cycle's figures; hosts no longer in the inventory are dropped. */
  void record(RunFigures figures, Set<String> inventory) {
    metrics.retainHosts(inventory);
    metrics.record(figures);
  }

  @Override
  public void close() {
    server.close();
  }
}
