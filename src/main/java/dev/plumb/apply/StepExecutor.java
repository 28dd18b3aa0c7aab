package dev.plumb.apply;

import dev.plumb.modules.Command;
import dev.plumb.plan.Step;
import dev.plumb.transport.Connection;
import dev.plumb.transport.ExecResult;
import dev.plumb.transport.TransportException;
import java.time.Duration;
import java.util.Arrays;

/**
 * Runs one step's commands, in order, and says how that went. The outcome is classified from the
 * exit status and the transport's {@link TransportException.Kind}, never from message text.
 */
final class StepExecutor {

  /** How running a step's commands ended. */
  enum Status {
    /** Every command exited 0. */
    OK,
    /** A command exited non-zero; the host is still there. */
    FAILED,
    /** A command ran past its timeout and was stopped; the connection is still usable. */
    TIMED_OUT,
    /** The connection broke while a command ran: its outcome and the host's state are unknown. */
    CONNECTION_LOST
  }

  /** What running one step did: how it ended, how many commands ran, and why when not ok. */
  record Outcome(Status status, int commandsRun, String message) {}

  private final Duration defaultTimeout;

  /** @param defaultTimeout the run's command timeout, for steps without their own */
  StepExecutor(Duration defaultTimeout) {
    this.defaultTimeout = defaultTimeout;
  }

  Outcome execute(Step step, Connection connection) {
    Duration timeout = step.timeout().isZero() ? defaultTimeout : step.timeout();
    int ran = 0;
    for (Command command : step.change().commands()) {
      ExecResult r;
      try {
        r = connection.exec(command.line(), command.stdin(), timeout);
      } catch (TransportException e) {
        return switch (e.kind()) {
          case TIMED_OUT -> new Outcome(Status.TIMED_OUT, ran, e.getMessage());
          case BAD_OUTPUT -> new Outcome(Status.FAILED, ran, "`" + command.shown() + "`: " + e.getMessage());
          case LOST, UNREACHABLE -> new Outcome(Status.CONNECTION_LOST, ran,
              "connection lost while running `" + command.shown() + "`: " + e.getMessage());
        };
      } catch (RuntimeException e) {
        // A transport that throws something unexpected leaves the command's outcome unknown, like
        // a dropped connection; the host's other steps must not be run blind after it.
        return new Outcome(Status.CONNECTION_LOST, ran,
            "connection lost while running `" + command.shown() + "`: " + e + " (a bug in plumb; please report it)");
      }
      ran++;
      if (!r.ok()) {
        String err = r.stderrText().strip();
        String detail = !err.isEmpty() ? err : r.stdoutText().strip();
        return new Outcome(Status.FAILED, ran,
            "`" + command.shown() + "` exited " + r.exitStatus() + (detail.isEmpty() ? "" : ": " + lastLines(detail)));
      }
    }
    return new Outcome(Status.OK, ran, "");
  }

  private static String lastLines(String text) {
    String[] lines = text.split("\n");
    int from = Math.max(0, lines.length - 5);
    return String.join("\n", Arrays.copyOfRange(lines, from, lines.length));
  }
}
