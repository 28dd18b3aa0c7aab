package dev.plumb.pull;

import dev.plumb.inventory.Host;
import dev.plumb.source.Value;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
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

  /** The kernel's host name (the UTS name; no DNS lookup). */
  public static String hostname() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (IOException e) {
      // not Linux: ask Java
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** This machine's addresses, as an inventory writes them (no IPv6 zone). */
  public static Set<String> addresses() {
    Set<String> found = new LinkedHashSet<>();
    try {
      for (NetworkInterface nic : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
        nic.inetAddresses().forEach(a -> {
          String text = a.getHostAddress();
          int zone = text.indexOf('%');
          found.add(zone < 0 ? text : text.substring(0, zone));
        });
      }
    } catch (SocketException e) {
      // no addresses to match by
    }
    return found;
  }
}
