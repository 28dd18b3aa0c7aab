package dev.plumb.cli;

import dev.plumb.apply.Connector;
import dev.plumb.apply.FactReader;
import dev.plumb.text.Sensitive;
import dev.plumb.transport.Connection;
import dev.plumb.transport.ExecResult;
import dev.plumb.transport.TransportException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code -v}: each command as it runs on each host, with its time and exit status; {@code -vv}
 * adds the fact script. On stderr, one block per command (hosts run in parallel), redacted. A
 * command's stdin is never shown: it carries file contents, which may be secret; the fact script
 * is plumb's own text and holds no value of the user's.
 */
final class Trace {
  private Trace() {}

  /** The connector itself when {@code verbosity} is 0. */
  static Connector wrap(Connector connector, int verbosity, PrintWriter err, Sensitive secrets) {
    if (verbosity <= 0) {
      return connector;
    }
    return host -> new Traced(connector.open(host), verbosity, err, secrets);
  }

  private record Traced(Connection delegate, int verbosity, PrintWriter err, Sensitive secrets) implements Connection {
    @Override
    public String host() {
      return delegate.host();
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
      long start = System.nanoTime();
      try {
        ExecResult result = delegate.exec(command, stdin, timeout);
        print(command, stdin, String.format(Locale.ROOT, "exit %d, %.2f s", result.exitStatus(), seconds(start)));
        return result;
      } catch (TransportException e) {
        print(command, stdin, String.format(Locale.ROOT, "%s, %.2f s", e.getMessage(), seconds(start)));
        throw e;
      }
    }

    @Override
    public Held hold(String command, byte[] stdin) throws TransportException {
      long start = System.nanoTime();
      try {
        Held held = delegate.hold(command, stdin);
        print(command, stdin, String.format(Locale.ROOT, "started, held open, %.2f s", seconds(start)));
        return held;
      } catch (TransportException e) {
        print(command, stdin, String.format(Locale.ROOT, "%s, %.2f s", e.getMessage(), seconds(start)));
        throw e;
      }
    }

    private void print(String command, byte[] stdin, String outcome) {
      boolean facts = command.equals(FactReader.COMMAND);
      StringBuilder out = new StringBuilder();
      out.append(host()).append(": $ ").append(command.strip().replace("\n", "\n    "));
      if (facts) {
        out.append("   # the fact script on stdin, ").append(stdin.length).append(" bytes");
      } else if (stdin.length > 0) {
        out.append("   # ").append(stdin.length).append(" bytes on stdin (not shown)");
      }
      out.append("\n").append(host()).append(":   ").append(outcome).append('\n');
      if (facts && verbosity >= 2) {
        String script = new String(stdin, StandardCharsets.UTF_8).stripTrailing();
        out.append(host()).append(": fact script:\n    ").append(script.replace("\n", "\n    ")).append('\n');
      }
      String text = secrets.redact(out.toString());
      synchronized (err) {
        err.print(text);
        err.flush();
      }
    }

    private static double seconds(long start) {
      return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public int execCount() {
      return delegate.execCount();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
