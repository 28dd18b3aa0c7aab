package dev.plumb.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * How to reach one host over SSH: address, credentials, host key files, jump host and become.
 *
 * <p>Secrets (password, key passphrase, become password) never appear in {@link #toString()}.
 *
 * <p>Over 250 lines because its builder is where the three sources of a host's settings meet, in
 * ssh(1)'s precedence: inventory values, then the ssh config (read by {@link SshConfig}, with
 * IdentityFile's tokens and IdentityAgent), then defaults; and ProxyJump chains, whose hops are
 * built the same way.
 *
 * @param hostName the inventory name, used in messages
 * @param address what to connect to (name or IP)
 * @param identityFiles private keys to offer, in order (explicit ones first, then the defaults
 *     that exist)
 * @param keyPassphrase supplies the passphrase of encrypted keys; null when none is known
 * @param password login password; null to use keys only
 * @param knownHostsFiles files checked for host keys; the first writable one gets new keys
 * @param proxyJump the jump host to tunnel through, or null
 * @param becomeUser user that commands run as when {@code become} is set
 * @param becomePassword sudo password, or null for passwordless sudo ({@code sudo -n})
 * @param identitiesOnly ssh_config's {@code IdentitiesOnly}: offer only the identity files, and of
 *     the agent's keys only those that are one of them
 * @param agentSocket ssh-agent's socket ({@code SSH_AUTH_SOCK}, or ssh_config's {@code
 *     IdentityAgent}); null: no agent
 */
public record SshSettings(
    String hostName,
    String address,
    int port,
    String user,
    List<Path> identityFiles,
    Supplier<String> keyPassphrase,
    String password,
    List<Path> knownHostsFiles,
    boolean acceptNewHostKeys,
    SshSettings proxyJump,
    Duration connectTimeout,
    Duration commandTimeout,
    Duration keepAliveInterval,
    boolean become,
    String becomeUser,
    String becomePassword,
    boolean identitiesOnly,
    Path agentSocket) {

  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(10);
  static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(15);
  static final List<String> DEFAULT_KEY_NAMES = List.of("id_ed25519", "id_ecdsa", "id_rsa");

  public SshSettings {
    Objects.requireNonNull(hostName, "hostName");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(becomeUser, "becomeUser");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "port (" + port + ") of host " + hostName + " must be between 1 and 65535");
    }
    identityFiles = List.copyOf(identityFiles);
    knownHostsFiles = List.copyOf(knownHostsFiles);
    requirePositive(hostName, "connect timeout", connectTimeout);
    requirePositive(hostName, "command timeout", commandTimeout);
    requirePositive(hostName, "keepalive interval", keepAliveInterval);
  }

  private static void requirePositive(String host, String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " (" + d + ") of host " + host + " must be positive");
    }
  }

  /** Settings without an agent and without IdentitiesOnly. */
  public SshSettings(String hostName, String address, int port, String user, List<Path> identityFiles,
      Supplier<String> keyPassphrase, String password, List<Path> knownHostsFiles, boolean acceptNewHostKeys,
      SshSettings proxyJump, Duration connectTimeout, Duration commandTimeout, Duration keepAliveInterval,
      boolean become, String becomeUser, String becomePassword) {
    this(hostName, address, port, user, identityFiles, keyPassphrase, password, knownHostsFiles, acceptNewHostKeys,
        proxyJump, connectTimeout, commandTimeout, keepAliveInterval, become, becomeUser, becomePassword, false, null);
  }

  /** {@code user@address:port}, as used in messages. */
  public String destination() {
    return user + "@" + address + ":" + port;
  }

  /** True when commands must be wrapped in sudo: become is on and the login user is another. */
  boolean needsSudo() {
    return become && !becomeUser.equals(user);
  }

  @Override
  public String toString() {
    return "SshSettings[hostName=" + hostName
        + ", destination=" + destination()
        + ", identityFiles=" + identityFiles
        + ", keyPassphrase=" + (keyPassphrase == null ? "none" : "<redacted>")
        + ", password=" + (password == null ? "none" : "<redacted>")
        + ", knownHostsFiles=" + knownHostsFiles
        + ", acceptNewHostKeys=" + acceptNewHostKeys
        + ", proxyJump=" + (proxyJump == null ? "none" : proxyJump.destination())
        + ", connectTimeout=" + connectTimeout
        + ", commandTimeout=" + commandTimeout
        + ", keepAliveInterval=" + keepAliveInterval
        + ", become=" + become
        + ", becomeUser=" + becomeUser
        + ", becomePassword=" + (becomePassword == null ? "none" : "<redacted>")
        + ", identitiesOnly=" + identitiesOnly
        + ", agentSocket=" + agentSocket
        + "]";
  }

  /** A builder for the host with inventory name {@code hostName}; unset values come from defaults. */
  public static Builder builder(String hostName) {
    return new Builder(hostName);
  }

  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  // What the ssh config says that plumb cannot honour: once per run on stderr, not once per host.
  static void warnOnce(String message) {
    if (WARNED.add(message)) {
      System.err.println("plumb: warning: " + message);
    }
  }

  /** Reads a passphrase from the environment variable {@code name} when a key needs it. */
  public static Supplier<String> fromEnv(String name) {
    return () -> System.getenv(name);
  }

  /**
   * Collects explicit (inventory) values; {@link #build()} fills the rest from the ssh config file,
   * then from defaults. Explicit values always win over the ssh config.
   */
  public static final class Builder {
    private final String hostName;
    private String address;
    private Integer port;
    private String user;
    private final List<Path> identityFiles = new ArrayList<>();
    private Supplier<String> keyPassphrase;
    private String password;
    private final List<Path> knownHostsFiles = new ArrayList<>();
    private boolean acceptNewHostKeys;
    private String proxyJumpSpec;
    private SshSettings proxyJump;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private Duration keepAliveInterval = DEFAULT_KEEPALIVE;
    private boolean become;
    private String becomeUser = "root";
    private String becomePassword;
    private Boolean identitiesOnly;
    private Path agentSocket;
    private Path sshConfig;
    private Consumer<String> warnings = SshSettings::warnOnce;
    private Path defaultKeyDir = Path.of(System.getProperty("user.home"), ".ssh");
    private String localUser = System.getProperty("user.name");

    private Builder(String hostName) {
      this.hostName = Objects.requireNonNull(hostName, "hostName");
    }

    public Builder address(String address) { this.address = address; return this; }

    public Builder port(int port) { this.port = port; return this; }

    public Builder user(String user) { this.user = user; return this; }

    public Builder identityFile(Path file) { identityFiles.add(file); return this; }

    public Builder keyPassphrase(Supplier<String> passphrase) { this.keyPassphrase = passphrase; return this; }

    public Builder password(String password) { this.password = password; return this; }

    /** Adds a known_hosts file; the first writable one added gets newly accepted keys. */
    public Builder knownHostsFile(Path file) { knownHostsFiles.add(file); return this; }

    public Builder acceptNewHostKeys(boolean accept) { this.acceptNewHostKeys = accept; return this; }

    /** A jump host as {@code [user@]host[:port]} (an ssh config alias works), or "none". */
    public Builder proxyJump(String spec) { this.proxyJumpSpec = spec; this.proxyJump = null; return this; }

    public Builder proxyJump(SshSettings jump) { this.proxyJump = jump; this.proxyJumpSpec = null; return this; }

    public Builder connectTimeout(Duration timeout) { this.connectTimeout = timeout; return this; }

    public Builder commandTimeout(Duration timeout) { this.commandTimeout = timeout; return this; }

    public Builder keepAliveInterval(Duration interval) { this.keepAliveInterval = interval; return this; }

    public Builder become(boolean become) { this.become = become; return this; }

    public Builder becomeUser(String user) { this.becomeUser = user; return this; }

    public Builder becomePassword(String password) { this.becomePassword = password; return this; }

    /** ssh_config's IdentitiesOnly, set explicitly (wins over the ssh config). */
    public Builder identitiesOnly(boolean only) { this.identitiesOnly = only; return this; }

    /**
     * ssh-agent's socket, usually {@code $SSH_AUTH_SOCK}; null: none. An {@code IdentityAgent} in
     * the ssh config wins over it, as in OpenSSH.
     */
    public Builder agentSocket(Path socket) { this.agentSocket = socket; return this; }

    /** The OpenSSH client config to merge (usually ~/.ssh/config); null or missing: none. */
    public Builder sshConfig(Path file) { this.sshConfig = file; return this; }

    /** Told what the ssh config says that plumb does not support (a Match block); default: stderr, once. */
    public Builder warnings(Consumer<String> sink) { this.warnings = sink; return this; }

    /** Where the default keys (id_ed25519, id_ecdsa, id_rsa) are looked for; null: nowhere. */
    public Builder defaultKeyDir(Path dir) { this.defaultKeyDir = dir; return this; }

    /** The login user when neither the inventory nor the ssh config names one. */
    public Builder localUser(String user) { this.localUser = user; return this; }

    public SshSettings build() {
      return build(0);
    }

    private SshSettings build(int depth) {
      String given = address != null ? address : hostName;
      SshConfig.Options config = lookup(given);
      String resolvedAddress = address != null ? address : orElse(config.get("HostName"), hostName);
      int resolvedPort = port != null ? port : configPort(config);
      String resolvedUser = user != null ? user : orElse(config.get("User"), localUser);

      LinkedHashSet<Path> keys = new LinkedHashSet<>(identityFiles);
      for (String k : config.all("IdentityFile")) {
        keys.add(Path.of(expandTokens(k, given, resolvedAddress, resolvedPort, resolvedUser)));
      }
      if (defaultKeyDir != null) {
        for (String name : DEFAULT_KEY_NAMES) {
          Path candidate = defaultKeyDir.resolve(name);
          if (Files.isRegularFile(candidate)) {
            keys.add(candidate);
          }
        }
      }

      SshSettings jump = proxyJump;
      if (jump == null) {
        String spec = proxyJumpSpec != null ? proxyJumpSpec : config.get("ProxyJump");
        if (spec != null && !spec.isBlank() && !spec.equalsIgnoreCase("none")) {
          jump = jumpHost(spec, depth);
        }
      }
      boolean onlyIdentities = identitiesOnly != null ? identitiesOnly
          : "yes".equalsIgnoreCase(orElse(config.get("IdentitiesOnly"), "no").trim());
      return new SshSettings(hostName, resolvedAddress, resolvedPort, resolvedUser,
          List.copyOf(keys), keyPassphrase, password, knownHostsFiles, acceptNewHostKeys, jump,
          connectTimeout, commandTimeout, keepAliveInterval, become, becomeUser, becomePassword,
          onlyIdentities, agent(config.get("IdentityAgent")));
    }

    // ssh_config(5) IdentityAgent: "none", "SSH_AUTH_SOCK" (the environment's), or a socket path.
    private Path agent(String configured) {
      if (configured == null || configured.isBlank() || configured.trim().equals("SSH_AUTH_SOCK")) {
        return agentSocket;
      }
      String value = configured.trim();
      if (value.equalsIgnoreCase("none")) {
        return null;
      }
      if (value.equals("~") || value.startsWith("~/")) {
        value = System.getProperty("user.home") + value.substring(1);
      }
      return Path.of(value);
    }

    // ssh_config(5) TOKENS for IdentityFile: ~ at the start, %h %n %p %r %u %d %%.
    private String expandTokens(String value, String given, String host, int port, String remoteUser) {
      String home = System.getProperty("user.home");
      String v = value.equals("~") || value.startsWith("~/") ? home + value.substring(1) : value;
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c != '%' || i + 1 == v.length()) {
          out.append(c);
          continue;
        }
        char t = v.charAt(++i);
        switch (t) {
          case '%' -> out.append('%');
          case 'h' -> out.append(host);
          case 'n' -> out.append(given);
          case 'p' -> out.append(port);
          case 'r' -> out.append(remoteUser);
          case 'u' -> out.append(localUser);
          case 'd' -> out.append(home);
          default -> throw new IllegalArgumentException("IdentityFile (" + value + ") for host " + hostName
              + " in " + sshConfig + ": token %" + t + " is not supported (%h %n %p %r %u %d %% are)");
        }
      }
      return out.toString();
    }

    private int configPort(SshConfig.Options config) {
      String value = config.get("Port");
      if (value == null) {
        return 22;
      }
      try {
        return Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Port (" + value + ") for host " + hostName + " in " + sshConfig + " is not a number", e);
      }
    }

    private SshConfig.Options lookup(String name) {
      Path dir = sshConfig == null ? null : sshConfig.toAbsolutePath().getParent();
      return new SshConfig(sshConfig, dir, warnings).lookup(name);
    }

    // OpenSSH allows a comma-separated chain: the first hop is reached first, so it is the
    // outermost jump; each later hop is reached through the ones before it.
    private SshSettings jumpHost(String spec, int depth) {
      if (depth > 5) {
        throw new IllegalArgumentException("ProxyJump chain of host " + hostName + " is too long (loop?)");
      }
      String[] hops = spec.split(",");
      SshSettings previous = null;
      for (String hop : hops) {
        previous = parseHop(hop.trim(), previous, depth);
      }
      return previous;
    }

    private SshSettings parseHop(String hop, SshSettings via, int depth) {
      String rest = hop.startsWith("ssh://") ? hop.substring(6) : hop;
      String hopUser = null;
      int at = rest.lastIndexOf('@');
      if (at >= 0) {
        hopUser = rest.substring(0, at);
        rest = rest.substring(at + 1);
      }
      Integer hopPort = null;
      String hopHost = rest;
      if (rest.startsWith("[")) {
        int close = rest.indexOf(']');
        if (close < 0) {
          throw new IllegalArgumentException("ProxyJump (" + hop + ") of host " + hostName + " has an unclosed '['");
        }
        hopHost = rest.substring(1, close);
        if (rest.length() > close + 1 && rest.charAt(close + 1) == ':') {
          hopPort = parseHopPort(hop, rest.substring(close + 2));
        }
      } else if (rest.indexOf(':') >= 0 && rest.indexOf(':') == rest.lastIndexOf(':')) {
        hopHost = rest.substring(0, rest.indexOf(':'));
        hopPort = parseHopPort(hop, rest.substring(rest.indexOf(':') + 1));
      }
      if (hopHost.isEmpty()) {
        throw new IllegalArgumentException("ProxyJump (" + hop + ") of host " + hostName + " names no host");
      }
      Builder b = new Builder(hopHost)
          .sshConfig(sshConfig)
          .warnings(warnings)
          .defaultKeyDir(defaultKeyDir)
          .localUser(localUser)
          .keyPassphrase(keyPassphrase)
          .agentSocket(agentSocket)
          .acceptNewHostKeys(acceptNewHostKeys)
          .connectTimeout(connectTimeout)
          .keepAliveInterval(keepAliveInterval)
          .proxyJump(via);
      b.knownHostsFiles.addAll(knownHostsFiles);
      // The target's explicit keys usually open the bastion too (one key per fleet); they are
      // offered after the jump host's own.
      if (hopUser != null) {
        b.user(hopUser);
      }
      if (hopPort != null) {
        b.port(hopPort);
      }
      SshSettings own = b.build(depth + 1);
      LinkedHashSet<Path> keys = new LinkedHashSet<>(own.identityFiles());
      keys.addAll(identityFiles);
      return new SshSettings(own.hostName(), own.address(), own.port(), own.user(), List.copyOf(keys),
          own.keyPassphrase(), null, own.knownHostsFiles(), own.acceptNewHostKeys(), own.proxyJump(),
          own.connectTimeout(), own.commandTimeout(), own.keepAliveInterval(), false, "root", null,
          own.identitiesOnly(), own.agentSocket());
    }

    private int parseHopPort(String hop, String value) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "ProxyJump (" + hop + ") of host " + hostName + ": port '" + value + "' is not a number", e);
      }
    }

    private static String orElse(String value, String fallback) {
      return value == null || value.isBlank() ? fallback : value;
    }
  }
}
