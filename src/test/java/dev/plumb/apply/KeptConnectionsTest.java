package dev.plumb.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.inventory.Host;
import dev.plumb.transport.Connection;
import dev.plumb.transport.ExecResult;
import dev.plumb.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The watch's kept connections: a connection that died between two runs is not an outage. */
class KeptConnectionsTest {
  private static final Host HOST = new Host("h1", List.of("all"), Map.of());

  /** A connection that answers "ok", or fails every exec once {@link #die} was called. */
  private static final class Fake implements Connection {
    TransportException.Kind dead;
    final List<String> ran = new ArrayList<>();
    boolean closed;

    void die(TransportException.Kind kind) {
      dead = kind;
    }

    @Override
    public String host() {
      return "h1";
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
      if (dead != null) {
        throw new TransportException("cannot start a command on h1 (connection lost)", dead, null);
      }
      ran.add(command);
      return new ExecResult(0, "ok".getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    @Override
    public int execCount() {
      return ran.size();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private final List<Fake> opened = new ArrayList<>();
  private final KeptConnections kept = new KeptConnections(host -> {
    Fake f = new Fake();
    opened.add(f);
    return f;
  });

  @Test
  void open_secondRun_reusesTheConnection() throws Exception {
    kept.open(HOST).exec("facts", null, null);
    kept.open(HOST).close();
    kept.open(HOST).exec("facts", null, null);
    assertThat(kept.handshakes()).isEqualTo(1);
    assertThat(opened.get(0).ran).containsExactly("facts", "facts");
  }

  @Test
  void exec_keptConnectionDiedBetweenRuns_reconnectsAndRunsTheFirstExecOnTheNewOne() throws Exception {
    kept.open(HOST).exec("facts", null, null);
    opened.get(0).die(TransportException.Kind.UNREACHABLE); // sshd restarted meanwhile

    Connection run = kept.open(HOST);
    assertThat(run.exec("facts", null, null).exitStatus()).isZero();
    run.exec("step", null, null);

    assertThat(kept.handshakes()).isEqualTo(2);
    assertThat(opened.get(0).closed).isTrue();
    assertThat(opened.get(1).ran).containsExactly("facts", "step");
    assertThat(kept.holds("h1")).isTrue();
  }

  @Test
  void exec_connectionLostAfterTheRunsFirstExec_isNotRetried() throws Exception {
    Connection run = kept.open(HOST);
    run.exec("facts", null, null);
    opened.get(0).die(TransportException.Kind.LOST);

    assertThatThrownBy(() -> run.exec("step", null, null)).isInstanceOf(TransportException.class);
    assertThat(kept.handshakes()).isEqualTo(1);
    assertThat(kept.holds("h1")).as("dropped, for the next run to connect anew").isFalse();
  }

  @Test
  void exec_freshConnectionFails_isNotRetried() throws Exception {
    KeptConnections failing = new KeptConnections(host -> {
      Fake f = new Fake();
      f.die(TransportException.Kind.LOST);
      opened.add(f);
      return f;
    });
    assertThatThrownBy(() -> failing.open(HOST).exec("facts", null, null)).isInstanceOf(TransportException.class);
    assertThat(failing.handshakes()).isEqualTo(1);
  }

  @Test
  void exec_keptConnectionDiedAndReconnectRefused_theRunSeesTheRefusal() throws Exception {
    Fake first = new Fake();
    int[] opens = {0};
    KeptConnections k = new KeptConnections(host -> {
      if (opens[0]++ == 0) {
        return first;
      }
      throw new TransportException("HOST KEY CHANGED for h1", TransportException.Kind.UNREACHABLE, null);
    });
    k.open(HOST).exec("facts", null, null);
    first.die(TransportException.Kind.UNREACHABLE);

    assertThatThrownBy(() -> k.open(HOST).exec("facts", null, null))
        .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.unreachable()).isTrue())
        .hasMessageContaining("HOST KEY CHANGED");
    assertThat(k.holds("h1")).isFalse();
  }
}
