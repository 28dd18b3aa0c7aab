package dev.plumb.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs commands on this machine with /bin/sh, exactly as an SSH connection runs them remotely. */
public final class LocalConnection implements Connection {
  private final String host;
  private final AtomicInteger execs = new AtomicInteger();

  public LocalConnection(String host) {
    this.host = host;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public ExecResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
    execs.incrementAndGet();
    Process process;
    try {
      process = new ProcessBuilder(List.of("/bin/sh", "-c", command)).start();
    } catch (IOException e) {
      throw new TransportException("cannot start /bin/sh: " + e.getMessage(), true, e);
    }
    CompletableFuture<byte[]> out = drain(process.getInputStream());
    CompletableFuture<byte[]> err = drain(process.getErrorStream());
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin);
    } catch (IOException e) {
      // The command exited without reading all of its input; its exit status says what happened.
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw TransportException.timeout(
            "command timed out after " + timeout.toSeconds() + " s: " + abbreviate(command), null);
      }
      return new ExecResult(process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while running: " + abbreviate(command), false, e);
    }
  }

  // Own daemon threads: the common pool has one thread on a 2-core machine, and a stderr reader
  // queued behind a blocked stdout reader would deadlock a chatty command.
  private static final java.util.concurrent.ExecutorService DRAINERS =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "plumb-local-io");
            t.setDaemon(true);
            return t;
          });

  private static CompletableFuture<byte[]> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            stream.transferTo(buffer);
            return buffer.toByteArray();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        DRAINERS);
  }

  static String abbreviate(String command) {
    String oneLine = command.replace('\n', ' ');
    return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
  }

  @Override
  public int execCount() {
    return execs.get();
  }

  @Override
  public void close() {}
}
