package dev.plumb.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.inventory.Host;
import dev.plumb.source.Value;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ThisHostTest {
  static Host host(String name, String address) {
    return new Host(name, List.of("all"), address == null ? Map.of() : Map.of("ansible_host", Value.of(address)));
  }

  final List<Host> hosts = List.of(host("gpu01", "10.0.0.1"), host("gpu02.dc1.example", "10.0.0.2"), host("gpu03", null));

  @Test
  void find_givenName_winsOverHostnameAndAddresses() {
    assertThat(ThisHost.find(hosts, Optional.of("gpu03"), "gpu01", Set.of("10.0.0.2")).name()).isEqualTo("gpu03");
  }

  @Test
  void find_givenNameNotInInventory_failsNamingIt() {
    assertThatThrownBy(() -> ThisHost.find(hosts, Optional.of("gpu09"), "gpu01", Set.of()))
        .isInstanceOf(PullException.NoHost.class).hasMessageContaining("gpu09 (--host) is not in the inventory");
  }

  @Test
  void find_byHostname_caseInsensitive() {
    assertThat(ThisHost.find(hosts, Optional.empty(), "GPU01", Set.of()).name()).isEqualTo("gpu01");
  }

  @Test
  void find_byShortHostname_whenTheFqdnIsNotListed() {
    assertThat(ThisHost.find(hosts, Optional.empty(), "gpu03.dc1.example", Set.of()).name()).isEqualTo("gpu03");
  }

  @Test
  void find_byAddress_whenNoNameMatches() {
    assertThat(ThisHost.find(hosts, Optional.empty(), "node-7", Set.of("127.0.0.1", "10.0.0.2")).name())
        .isEqualTo("gpu02.dc1.example");
  }

  @Test
  void find_nothingMatches_failsWithWhatWasTriedAndAFix() {
    assertThatThrownBy(() -> ThisHost.find(hosts, Optional.empty(), "node-7", Set.of("10.9.9.9")))
        .isInstanceOf(PullException.NoHost.class)
        .hasMessageContaining("host name node-7").hasMessageContaining("10.9.9.9")
        .satisfies(e -> assertThat(((PullException) e).fix()).startsWith("add it to the inventory, or say which host it is with --host NAME"));
  }

  @Test
  void find_addressesOfSeveralHosts_asksForHost() {
    List<Host> twins = List.of(host("a", "10.0.0.5"), host("b", "10.0.0.5"));
    assertThatThrownBy(() -> ThisHost.find(twins, Optional.empty(), "x", Set.of("10.0.0.5")))
        .isInstanceOf(PullException.NoHost.class).hasMessageContaining("several");
  }
}
