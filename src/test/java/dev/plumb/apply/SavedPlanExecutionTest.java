package dev.plumb.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.plumb.plan.HostPlan;
import dev.plumb.plan.PlanGen;
import dev.plumb.plan.PlanJson;
import dev.plumb.transport.Connection;
import dev.plumb.transport.ExecResult;
import dev.plumb.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A plan read back from its JSON runs exactly as the plan that was made. */
class SavedPlanExecutionTest {

  /** Records what it is asked to run; fails, times out or drops by a hash of the command line. */
  private static final class Recording implements Connection {
    final List<String> calls = new ArrayList<>();

    @Override public String host() { return "h"; }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
      calls.add(command + "\u0000" + HexFormat.of().formatHex(stdin) + "\u0000" + timeout);
      int h = Math.floorMod(command.hashCode(), 11);
      if (h == 0) {
        throw new TransportException("dropped", TransportException.Kind.LOST);
      }
      if (h == 1) {
        throw TransportException.timeout("timed out", null);
      }
      return new ExecResult(h == 2 ? 1 : 0, new byte[0], new byte[0]);
    }

    @Override public int execCount() { return calls.size(); }

    @Override public void close() {}
  }

  @Test
  void run_planReadBackFromJson_runsTheSameCommandsWithTheSameResults() {
    StepExecutor executor = new StepExecutor(Duration.ofSeconds(7));
    qt().withExamples(150).forAll(PlanGen.plans(), org.quicktheories.generators.SourceDSL.booleans().all())
        .checkAssert((plan, deferBlocked) -> {
          HostPlan saved = PlanJson.parse(PlanJson.render(plan));
          Recording a = new Recording();
          Recording b = new Recording();
          Phase original = Phase.run(plan, a, executor, deferBlocked);
          Phase reread = Phase.run(saved, b, executor, deferBlocked);
          assertThat(b.calls).isEqualTo(a.calls);
          assertThat(reread).isEqualTo(original);
        });
  }
}
