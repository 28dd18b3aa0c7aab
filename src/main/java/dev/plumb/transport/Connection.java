package dev.plumb.transport;

import java.time.Duration;

/**
 * A way to run shell commands on one host: {@code local} (this machine's /bin/sh) or {@code ssh}.
 *
 * <p>The engine sends it whole shell command lines; quoting is done before, by {@link dev.plumb.text.Shell}.
 * Privilege escalation (become) is the connection's business, so the plan shows the same commands
 * whether or not they run under sudo.
 */
public interface Connection extends AutoCloseable {

  /** The inventory name of the host. */
  String host();

  /**
   * Runs {@code command} with {@code /bin/sh -c}, feeding {@code stdin} (may be empty), and waits at
   * most {@code timeout}. Returns only when the exit status is known.
   *
   * @throws TransportException when the command could not be run or its exit status is unknown
   */
  ExecResult exec(String command, byte[] stdin, Duration timeout) throws TransportException;

  /**
   * Starts {@code command} and keeps it running, its stdin open, until the returned handle is
   * closed (EOF on its stdin) or this connection ends. A process on the host can so hold something
   * (a lock) exactly as long as plumb's session lives: a killed plumb or a dropped connection ends
   * it without anyone cleaning up.
   *
   * @param stdin written first, without closing the stream (may be empty)
   * @throws TransportException when the command could not be started
   */
  default Held hold(String command, byte[] stdin) throws TransportException {
    throw new TransportException("this connection (" + getClass().getSimpleName() + ") cannot hold a command open", false);
  }

  /** A command kept running by {@link #hold}. */
  interface Held extends AutoCloseable {
    /**
     * The command's next line of output (without the newline), or empty when its output ended;
     * waits at most {@code timeout}.
     *
     * @throws TransportException when nothing came within the timeout or the connection failed
     */
    java.util.Optional<String> readLine(Duration timeout) throws TransportException;

    /**
     * Writes {@code bytes} to the command's stdin, which stays open.
     *
     * @throws TransportException when the command or the connection is gone
     */
    default void write(byte[] bytes) throws TransportException {
      throw new TransportException("this held command takes no input", TransportException.Kind.LOST);
    }

    /**
     * The command's output up to the next {@code marker} (consumed, not returned); waits at most
     * {@code timeout}.
     *
     * @throws TransportException when the output ended first, nothing came in time, or the connection failed
     */
    default byte[] readThrough(byte[] marker, Duration timeout) throws TransportException {
      throw new TransportException("this held command gives no output to read", TransportException.Kind.LOST);
    }

    /** EOF on the command's stdin, then the channel (or process) is closed. */
    @Override
    void close();
  }

  /** How many exec channels (processes) this connection has opened so far; for tests and benchmarks. */
  int execCount();

  @Override
  void close();
}
