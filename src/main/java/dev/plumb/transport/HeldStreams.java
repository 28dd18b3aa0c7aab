package dev.plumb.transport;

import dev.plumb.text.Bytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A held command's streams: its stdin written as it goes, its stdout read as bytes up to a marker (a
 * newline for a line), each read bounded by a timeout; what follows the marker stays buffered for
 * the next read. How the command ends ({@link #close()}) is the transport's.
 */
abstract class HeldStreams implements Connection.Held {
  private final InputStream stdout;
  private final OutputStream stdin;
  private final String host;
  private byte[] buffered = new byte[0];
  private CompletableFuture<Optional<byte[]>> pending;
  private byte[] pendingMarker;

  HeldStreams(InputStream stdout, OutputStream stdin, String host) {
    this.stdout = stdout;
    this.stdin = stdin;
    this.host = host;
  }

  @Override
  public void write(byte[] bytes) throws TransportException {
    try {
      stdin.write(bytes);
      stdin.flush();
    } catch (IOException e) {
      throw new TransportException("could not write to the command on " + host + ": " + e.getMessage(),
          TransportException.Kind.LOST, e);
    }
  }

  /** The next line (UTF-8, without its newline; a last line without one too), or empty at the end. */
  @Override
  public synchronized Optional<String> readLine(Duration timeout) throws TransportException {
    return next(new byte[] {'\n'}, timeout, true).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  /**
   * The bytes before the next {@code marker}, which is consumed.
   *
   * @throws TransportException when the output ended before the marker came, or nothing came in time
   */
  @Override
  public synchronized byte[] readThrough(byte[] marker, Duration timeout) throws TransportException {
    return next(marker, timeout, false).orElseThrow(() -> new TransportException(
        "the command on " + host + " ended before it answered", TransportException.Kind.LOST));
  }

  private Optional<byte[]> next(byte[] marker, Duration timeout, boolean restAtEnd) throws TransportException {
    if (pending != null && !Arrays.equals(pendingMarker, marker)) {
      throw new TransportException("an earlier read from " + host + " is still waiting", TransportException.Kind.LOST);
    }
    if (pending == null) {
      pendingMarker = marker;
      pending = CompletableFuture.supplyAsync(() -> read(marker, restAtEnd), Pumps.POOL);
    }
    try {
      Optional<byte[]> found = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      pending = null;
      return found;
    } catch (TimeoutException e) {
      // The read stays pending: the next call with the same marker waits for the same answer.
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

  /** Reads until {@code marker} is buffered; runs on a pump thread, one at a time. */
  private Optional<byte[]> read(byte[] marker, boolean restAtEnd) {
    try {
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      seen.write(buffered);
      byte[] chunk = new byte[8192];
      int searchFrom = 0;
      while (true) {
        byte[] all = seen.toByteArray();
        int at = Bytes.indexOf(all, marker, searchFrom);
        if (at >= 0) {
          buffered = Arrays.copyOfRange(all, at + marker.length, all.length);
          return Optional.of(Arrays.copyOf(all, at));
        }
        searchFrom = Math.max(0, all.length - marker.length + 1);
        int n = stdout.read(chunk);
        if (n < 0) {
          buffered = new byte[0];
          return restAtEnd && all.length > 0 ? Optional.of(all) : Optional.empty();
        }
        seen.write(chunk, 0, n);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
