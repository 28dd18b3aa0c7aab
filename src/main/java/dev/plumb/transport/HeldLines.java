package dev.plumb.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reads a held command's stdout line by line, each read bounded by a timeout. */
final class HeldLines {
  private final BufferedReader reader;
  private final String host;
  private CompletableFuture<String> pending;

  HeldLines(InputStream stdout, String host) {
    this.reader = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8));
    this.host = host;
  }

  synchronized Optional<String> next(Duration timeout) throws TransportException {
    if (pending == null) {
      pending = CompletableFuture.supplyAsync(() -> {
        try {
          return reader.readLine();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, Pumps.POOL);
    }
    try {
      String line = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      pending = null;
      return Optional.ofNullable(line);
    } catch (TimeoutException e) {
      // The read stays pending: the next call waits for the same line.
      throw TransportException.timeout("no answer from " + host + " within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while waiting for " + host, false, e);
    } catch (ExecutionException e) {
      pending = null;
      throw new TransportException("lost the connection to " + host + " while reading: "
          + SshConnection.describe(e.getCause()), true, e.getCause());
    }
  }
}
