package dev.plumb.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The threads that move a command's stdin, stdout and stderr, for every connection. Own daemon
 * threads: the common pool has one thread on a 2-core machine, and a stderr reader queued behind a
 * blocked stdout reader would deadlock a chatty command.
 */
final class Pumps {
  private Pumps() {}

  static final ExecutorService POOL =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "plumb-io");
            t.setDaemon(true);
            return t;
          });

  /** Reads a stream to its end, then closes it. */
  static CompletableFuture<byte[]> drain(InputStream stream) {
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
        POOL);
  }
}
