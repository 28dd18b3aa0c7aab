package dev.plumb.apply;

import dev.plumb.transport.Connection;
import dev.plumb.transport.ExecResult;
import dev.plumb.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A shell kept running on a kept connection to read a host's facts, once per watch cycle: the fact
 * script goes to its stdin and its output is read back up to an end marker. A cycle so costs no new
 * exec channel and no process start in sshd: the cost of a fact read is the script's own. (Mitogen
 * and Ansible's persistent connections keep an interpreter on the host for the same reason.)
 *
 * <p>Each script runs as one compound command with stdin from /dev/null, so nothing in it can read
 * the next script, and the shell parses it whole before running any of it. The end marker is random
 * per shell and printed by the shell itself after the script, so no output of a fact (file contents
 * included) can end a read early. The fact script's framing is kept inside, unchanged. A shell whose
 * read failed (timed out, ended) is closed: the next cycle starts another.
 */
final class FactShell implements AutoCloseable {
  private final Connection on;
  private final Connection.Held held;
  private final String marker;

  private FactShell(Connection on, Connection.Held held, String marker) {
    this.on = on;
    this.held = held;
    this.marker = marker;
  }

  /** Starts {@link FactReader#COMMAND} on {@code connection}, kept open (one exec channel, through become as any command). */
  static FactShell start(Connection connection) throws TransportException {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String marker = "PLUMB-DONE-" + HexFormat.of().formatHex(random);
    // The shell's own errors (there are none when a script parses) would pile up unread: dropped.
    Connection.Held held = connection.hold(FactReader.COMMAND, "exec 2>/dev/null\n".getBytes(StandardCharsets.UTF_8));
    return new FactShell(connection, held, marker);
  }

  /** The connection the shell runs on. */
  Connection on() {
    return on;
  }

  /** Runs the fact script {@code script}; its output as an exec of the script with exit 0 would give it. */
  ExecResult run(byte[] script, Duration timeout) throws TransportException {
    byte[] text = ("{\n" + new String(script, StandardCharsets.UTF_8) + "\n} </dev/null\nprintf '\\n%s\\n' " + marker + "\n")
        .getBytes(StandardCharsets.UTF_8);
    held.write(text);
    byte[] out = held.readThrough(("\n" + marker + "\n").getBytes(StandardCharsets.US_ASCII), timeout);
    return new ExecResult(0, out, new byte[0]);
  }

  @Override
  public void close() {
    held.close();
  }
}
