package dev.plumb.apply;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactScript;
import dev.plumb.facts.FactSet;
import dev.plumb.transport.Connection;
import dev.plumb.transport.ExecResult;
import dev.plumb.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/** Reads a host's facts in one round trip: one exec channel, one script on stdin (the I/O of facts, kept with the runner). */
public final class FactReader {
  private FactReader() {}

  /** The command that runs the fact script, which it reads on stdin. */
  public static final String COMMAND = "/bin/sh -s";

  /**
   * Reads every fact over the connection.
   *
   * @throws TransportException when the host cannot be reached or the script's output is cut short
   */
  public static FactSet read(Connection connection, Collection<Fact> facts, Duration timeout)
      throws TransportException {
    try {
      return readOnce(connection, facts, timeout);
    } catch (FactScript.Raced e) {
      // A file changed size while it was read (written at that moment): read again, once.
      try {
        return readOnce(connection, facts, timeout);
      } catch (FactScript.Raced again) {
        throw new TransportException("reading facts failed twice: " + again.getMessage(), TransportException.Kind.BAD_OUTPUT, again);
      }
    }
  }

  private static FactSet readOnce(Connection connection, Collection<Fact> facts, Duration timeout)
      throws TransportException {
    FactScript script = FactScript.of(facts);
    ExecResult result =
        connection.exec(COMMAND, script.script().getBytes(StandardCharsets.UTF_8), timeout);
    if (!result.ok()) {
      throw new TransportException(
          "reading facts failed (exit " + result.exitStatus() + "): " + result.stderrText().strip(),
          TransportException.Kind.BAD_OUTPUT);
    }
    try {
      Map<Fact, FactResult> decoded = script.decode(result.stdout());
      return FactSet.of(decoded);
    } catch (FactScript.Raced e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new TransportException("reading facts failed: " + e.getMessage(), TransportException.Kind.BAD_OUTPUT, e);
    }
  }
}
