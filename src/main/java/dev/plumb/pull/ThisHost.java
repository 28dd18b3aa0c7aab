package dev.plumb.pull;

import dev.plumb.inventory.Host;
import dev.plumb.source.Value;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which inventory host this machine is: the name given ({@code --host}), else its host name (whole,
 * then without the domain), else one of its addresses as an inventory host's {@code ansible_host}.
 */
public final class ThisHost {
  private ThisHost() {}

  /**
   * @param given {@code --host}, or empty
   * @param hostname this machine's host name
   * @param addresses this machine's addresses (textual, as an inventory writes them)
   */
  public static Host find(List<Host> hosts, Optional<String> given, String hostname, Set<String> addresses) {
    if (given.isPresent()) {
      return byName(hosts, given.get()).orElseThrow(() -> new PullException.NoHost(
          "host " + given.get() + " (--host) is not in the inventory",
          "give the name of an inventory host, e.g. " + example(hosts)));
    }
    Optional<Host> named = byName(hosts, hostname);
    if (named.isEmpty() && hostname.contains(".")) {
      named = byName(hosts, hostname.substring(0, hostname.indexOf('.')));
    }
    if (named.isPresent()) {
      return named.get();
    }
    List<Host> byAddress = hosts.stream().filter(h -> address(h).filter(addresses::contains).isPresent()).toList();
    if (byAddress.size() == 1) {
      return byAddress.get(0);
    }
    if (byAddress.size() > 1) {
      throw new PullException.NoHost("this machine's addresses match several inventory hosts ("
          + byAddress.stream().map(Host::name).toList() + ")", "say which one with --host NAME");
    }
    throw new PullException.NoHost("this machine (host name " + hostname + ", addresses " + addresses
        + ") is not in the inventory, by name or by ansible_host",
        "add it to the inventory, or say which host it is with --host NAME, e.g. --host " + example(hosts));
  }

  private static Optional<Host> byName(List<Host> hosts, String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    return hosts.stream().filter(h -> h.name().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
  }

  private static Optional<String> address(Host host) {
    for (String key : List.of("ansible_host", "host")) {
      Value v = host.vars().get(key);
      if (v instanceof Value.Scalar s) {
        return Optional.of(s.text().trim());
      }
    }
    return Optional.empty();
  }

  private static String example(List<Host> hosts) {
    return hosts.isEmpty() ? "NAME" : hosts.get(0).name();
  }
}
