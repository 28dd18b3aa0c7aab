package dev.plumb.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Opens the connection an inventory host asks for: {@code local} or {@code ssh}. */
public final class Connections {
  private Connections() {}

  public static final String BECOME_PASSWORD_ENV = "PLUMB_BECOME_PASSWORD";
  public static final String SSH_PASSWORD_ENV = "PLUMB_SSH_PASSWORD";
  public static final String KEY_PASSPHRASE_ENV = "PLUMB_KEY_PASSPHRASE";
  /** ssh-agent's socket, as OpenSSH reads it. */
  public static final String AGENT_SOCKET_ENV = "SSH_AUTH_SOCK";

  /**
   * Connects to {@code hostName} as its inventory variables say (Ansible names first, plumb's short
   * names as synonyms).
   *
   * @throws IllegalArgumentException when a variable has a bad value (nothing was contacted)
   * @throws TransportException when the host cannot be reached or refuses us
   */
  public static Connection open(String hostName, Map<String, String> vars, TransportOptions options)
      throws TransportException {
    if (isLocal(hostName, vars)) {
      return local(hostName, vars, options);
    }
    return open(settings(hostName, vars, options));
  }

  /**
   * Checks a host's connection variables without contacting it, so bad input stops the run before
   * any host is contacted.
   *
   * @throws IllegalArgumentException for a bad value; a {@link BadVariable} when one variable has it
   */
  public static void validate(String hostName, Map<String, String> vars, TransportOptions options) {
    if (!isLocal(hostName, vars)) {
      settings(hostName, vars, options);
    } else {
      local(hostName, vars, options);
    }
  }

  // become on the local connection: the same variables and the same sudo wrapping as over SSH.
  static LocalConnection local(String hostName, Map<String, String> vars, TransportOptions options) {
    String become = first(vars, "ansible_become", "become");
    if (become == null || !bool(hostName, nameOf(vars, "ansible_become", "become"), become)) {
      return new LocalConnection(hostName);
    }
    String user = first(vars, "ansible_become_user", "become_user");
    String password = first(vars, "ansible_become_password", "ansible_become_pass", "become_password");
    return new LocalConnection(hostName, user == null ? "root" : user.trim(),
        password != null ? password : options.env().get(BECOME_PASSWORD_ENV));
  }

  /**
   * Prepares SSH on a daemon thread (sshj's configuration, BouncyCastle), for a run that will
   * connect: it overlaps reading the input. Contacts no host; a failure is left to the first connection.
   */
  public static void warmUp() {
    SshClientConfig.warmUp();
  }

  /** Connects over SSH with settings built by the caller. */
  public static Connection open(SshSettings settings) throws TransportException {
    return SshConnection.open(settings);
  }

  static boolean isLocal(String hostName, Map<String, String> vars) {
    String kind = first(vars, "ansible_connection", "connection");
    if (kind == null) {
      return hostName.equals("localhost") && first(vars, "ansible_host", "host") == null;
    }
    switch (kind.trim().toLowerCase(Locale.ROOT)) {
      case "local":
        return true;
      case "ssh":
      case "paramiko":
        return false;
      default:
        String variable = nameOf(vars, "ansible_connection", "connection");
        throw new BadVariable(variable, variable + " (" + kind + ") of host " + hostName + " must be 'local' or 'ssh'");
    }
  }

  /** The SSH settings of one host: inventory variables, then ~/.ssh/config, then defaults. */
  public static SshSettings settings(String hostName, Map<String, String> vars, TransportOptions options) {
    Map<String, String> env = options.env();
    SshSettings.Builder b = SshSettings.builder(hostName)
        .sshConfig(options.sshConfigPath())
        .defaultKeyDir(options.defaultKeyDir())
        .acceptNewHostKeys(options.acceptNewHostKeys());
    String address = first(vars, "ansible_host", "host");
    if (address != null) {
      b.address(address.trim());
    }
    String port = first(vars, "ansible_port", "port");
    if (port != null) {
      b.port(number(hostName, nameOf(vars, "ansible_port", "port"), port, 1, 65535));
    }
    String user = first(vars, "ansible_user", "user");
    if (user != null) {
      b.user(user.trim());
    }
    String key = first(vars, "ansible_ssh_private_key_file", "private_key");
    if (key != null) {
      b.identityFile(Path.of(expandHome(key.trim())));
    }
    String password = first(vars, "ansible_password", "ansible_ssh_pass", "password");
    b.password(password != null ? password : env.get(SSH_PASSWORD_ENV));
    String passphrase = env.get(KEY_PASSPHRASE_ENV);
    if (passphrase != null) {
      b.keyPassphrase(() -> passphrase);
    }
    String agent = env.get(AGENT_SOCKET_ENV);
    if (agent != null && !agent.isBlank()) {
      b.agentSocket(Path.of(agent.trim()));
    }
    b.knownHostsFile(options.userKnownHostsPath());
    String knownHosts = vars.get("known_hosts_file");
    if (knownHosts != null) {
      b.knownHostsFile(Path.of(expandHome(knownHosts.trim())));
    }
    String become = first(vars, "ansible_become", "become");
    if (become != null) {
      b.become(bool(hostName, nameOf(vars, "ansible_become", "become"), become));
    }
    String becomeUser = first(vars, "ansible_become_user", "become_user");
    if (becomeUser != null) {
      b.becomeUser(becomeUser.trim());
    }
    String becomePassword = first(vars, "ansible_become_password", "ansible_become_pass", "become_password");
    b.becomePassword(becomePassword != null ? becomePassword : env.get(BECOME_PASSWORD_ENV));
    String commonArgs = vars.get("ansible_ssh_common_args");
    if (commonArgs != null) {
      applyCommonArgs(b, commonArgs);
    }
    String timeout = vars.get("connect_timeout");
    if (timeout != null) {
      b.connectTimeout(Duration.ofSeconds(number(hostName, "connect_timeout", timeout, 1, 3600)));
    }
    if (options.connectTimeout() != null) {
      b.connectTimeout(options.connectTimeout());
    }
    return b.build();
  }

  // Only what plumb can honour: a jump host, accept-new and IdentitiesOnly. Other options are
  // ssh(1)'s business.
  static void applyCommonArgs(SshSettings.Builder b, String args) {
    List<String> words = List.of(args.trim().split("\\s+"));
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      String option = null;
      if (word.equals("-o") && i + 1 < words.size()) {
        option = words.get(++i);
      } else if (word.startsWith("-o") && word.length() > 2) {
        option = word.substring(2);
      } else if (word.equals("-J") && i + 1 < words.size()) {
        b.proxyJump(unquote(words.get(++i)));
      } else if (word.startsWith("-J") && word.length() > 2) {
        b.proxyJump(unquote(word.substring(2)));
      }
      if (option != null) {
        option = unquote(option);
        int eq = option.indexOf('=');
        String name = eq < 0 ? option : option.substring(0, eq);
        String value = eq < 0 ? "" : unquote(option.substring(eq + 1));
        if (name.equalsIgnoreCase("ProxyJump")) {
          b.proxyJump(value);
        } else if (name.equalsIgnoreCase("StrictHostKeyChecking") && value.equalsIgnoreCase("accept-new")) {
          b.acceptNewHostKeys(true);
        } else if (name.equalsIgnoreCase("IdentitiesOnly")) {
          b.identitiesOnly(value.equalsIgnoreCase("yes"));
        }
      }
    }
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  private static String expandHome(String path) {
    if (path.equals("~") || path.startsWith("~/")) {
      return System.getProperty("user.home") + path.substring(1);
    }
    return path;
  }

  private static String first(Map<String, String> vars, String... names) {
    for (String name : names) {
      String value = vars.get(name);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static String nameOf(Map<String, String> vars, String... names) {
    for (String name : names) {
      if (vars.get(name) != null) {
        return name;
      }
    }
    return names[0];
  }

  private static int number(String host, String variable, String value, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new BadVariable(variable, variable + " of host " + host + " must be a number, not '" + value + "'", e);
    }
    if (n < min || n > max) {
      throw new BadVariable(variable, variable + " of host " + host + " must be between " + min + " and " + max + ", not " + n);
    }
    return n;
  }

  private static boolean bool(String host, String variable, String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true": case "yes": case "on": case "1":
        return true;
      case "false": case "no": case "off": case "0":
        return false;
      default:
        throw new BadVariable(variable, variable + " of host " + host + " must be true or false (yes/no, 1/0), not '" + value + "'");
    }
  }
}
