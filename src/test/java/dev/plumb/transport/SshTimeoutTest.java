package dev.plumb.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.connection.ConnectionException;
import org.junit.jupiter.api.Test;

/** A command's wait that ran out is told from a lost connection by the exception's type, not its words. */
class SshTimeoutTest {

  @Test
  void isTimeout_sshjsWaitThatRanOut_isATimeout_whateverTheMessageSays() {
    // How sshj's Promise reports a wait that ran out: its exception chained around a TimeoutException.
    Exception e = new ConnectionException("no close of the channel", new TimeoutException("expired after 30 s"));
    assertThat(SshConnection.isTimeout(e)).isTrue();
    assertThat(SshConnection.isTimeout(new ConnectionException(new TimeoutException()))).isTrue();
  }

  @Test
  void isTimeout_aConnectionTheServerDroppedWithTimeoutInItsWords_isNotATimeout() {
    // sshd's ClientAliveCountMax disconnect: the connection is gone, the command's outcome unknown.
    Exception e = new net.schmizz.sshj.transport.TransportException(DisconnectReason.BY_APPLICATION,
        "Timeout, client not responding.");
    assertThat(SshConnection.isTimeout(e)).isFalse();
    assertThat(SshConnection.isTimeout(null)).isFalse();
  }
}
