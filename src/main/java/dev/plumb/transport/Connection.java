package dev.plumb.transport;

import java.time.Duration;

/**
 * A way to run shell commands on one host: {@code local} (this machine's /bin/sh) or {@code ssh}.
 *
 * <p>The engine sends it whole shell command lines; quoting is done before, by {@link Shell}.
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

  /** How many exec channels (processes) this connection has opened so far; for tests and benchmarks. */
  int execCount();

  @Override
  void close();
}
