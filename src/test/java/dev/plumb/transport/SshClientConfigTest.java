package dev.plumb.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.Factory;
import org.junit.jupiter.api.Test;

/** The one sshj configuration every connection shares, and the warm-up that builds it early. */
class SshClientConfigTest {
  private static List<String> names(List<? extends Factory.Named<?>> factories) {
    return factories.stream().map(Factory.Named::getName).toList();
  }

  @Test
  void theSharedConfig_isBuiltOnce_whetherWarmedUpOrNot() {
    Connections.warmUp();
    DefaultConfig first = SshClientConfig.get();
    Connections.warmUp();
    assertThat(SshClientConfig.get()).isSameAs(first);
  }

  @Test
  void theSharedConfig_offersWhatAConnectionsOwnConfigOffered() {
    Config shared = SshClientConfig.get();
    DefaultConfig own = new DefaultConfig();
    assertThat(names(shared.getKeyExchangeFactories())).isEqualTo(names(own.getKeyExchangeFactories()));
    assertThat(names(shared.getCipherFactories())).isEqualTo(names(own.getCipherFactories()))
        .startsWith("chacha20-poly1305@openssh.com");
    assertThat(names(shared.getMACFactories())).isEqualTo(names(own.getMACFactories()));
    assertThat(names(shared.getKeyAlgorithms())).isEqualTo(names(own.getKeyAlgorithms()));
    assertThat(shared.getKeepAliveProvider()).isSameAs(SharedKeepAlive.PROVIDER);
  }
}
