package dev.plumb.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs commands on this machine with /bin/sh, exactly as an SSH connection runs them remotely. */
public final class LocalConnection implements Connection {
  private final String host;
  private final String becomeUser;
  private final String becomePassword;
  private final AtomicInteger execs = new AtomicInteger();

  public LocalConnection(String host) {
    this(host, null, null);
  }

  /**
   * Commands run as {@code becomeUser} through sudo, exactly as {@link SshConnection} runs them
   * ({@code null}: as this process's user; the same user: no sudo).
   */
  LocalConnection(String host, String becomeUser, String becomePassword) {
    this.host = host;
    this.becomeUser = becomeUser == null || becomeUser.equals(System.getProperty("user.name")) ? null : becomeUser;
    this.becomePassword = becomePassword;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public ExecResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
    String shown = abbreviate(command);
    execs.incrementAndGet();
    byte[] input = stdin == null ? new byte[0] : stdin;
    if (becomeUser != null) {
      Become.Wrapped wrapped = Become.wrap(command, input, becomeUser, becomePassword);
      command = wrapped.command();
      input = wrapped.stdin();
    }
    Process process;
    try {
      process = new ProcessBuilder(List.of("/bin/sh", "-c", command)).start();
    } catch (IOException e) {
      throw new TransportException("cannot start /bin/sh: " + e.getMessage(), true, e);
    }
    CompletableFuture<byte[]> out = Pumps.drain(process.getInputStream());
    CompletableFuture<byte[]> err = Pumps.drain(process.getErrorStream());
    try (OutputStream in = process.getOutputStream()) {
      in.write(input);
    } catch (IOException e) {
      // The command exited without reading all of its input; its exit status says what happened.
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw TransportException.timeout(
            "command timed out after " + timeout.toSeconds() + " s: " + shown, null);
      }
      return new ExecResult(process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while running: " + shown, false, e);
    }
  }

  @Override
  public Held hold(String command, byte[] stdin) throws TransportException {
    execs.incrementAndGet();
    Process process;
    try {
      process = new ProcessBuilder(List.of("/bin/sh", "-c", command)).start();
      process.getOutputStream().write(stdin);
      process.getOutputStream().flush();
    } catch (IOException e) {
      throw new TransportException("cannot start /bin/sh: " + e.getMessage(), true, e);
    }
    Pumps.drain(process.getErrorStream());
    return new HeldStreams(process.getInputStream(), process.getOutputStream(), host) {
      @Override
      public void close() {
        // EOF first, so the command ends the way it would if plumb died; then make sure it did.
        try {
          process.getOutputStream().close();
          if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        } catch (IOException e) {
          process.destroyForcibly();
        } catch (InterruptedException e) {
          process.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    };
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
