package dev.plumb.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Run-wide transport settings (from the command line), applied to every host's connection.
 *
 * @param acceptNewHostKeys record unknown host keys instead of refusing (changed keys are always refused)
 * @param connectTimeout overrides every host's connect timeout; null: the inventory's or 10 s
 * @param sshConfigPath the OpenSSH client config to merge; null: none
 * @param userKnownHostsPath the user's known_hosts file, checked first and written first
 * @param defaultKeyDir where the default keys (id_ed25519, id_ecdsa, id_rsa) are looked for; null: nowhere
 * @param env the environment to read PLUMB_* secrets from
 */
public record TransportOptions(
    boolean acceptNewHostKeys,
    Duration connectTimeout,
    Path sshConfigPath,
    Path userKnownHostsPath,
    Path defaultKeyDir,
    Map<String, String> env) {

  public TransportOptions {
    Objects.requireNonNull(userKnownHostsPath, "userKnownHostsPath");
    env = Map.copyOf(env);
  }

  /** The user's ~/.ssh/config, ~/.ssh/known_hosts and keys, the process environment. */
  public static TransportOptions defaults() {
    Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
    return new TransportOptions(false, null, ssh.resolve("config"), ssh.resolve("known_hosts"), ssh, System.getenv());
  }

  public TransportOptions withAcceptNewHostKeys(boolean accept) {
    return new TransportOptions(accept, connectTimeout, sshConfigPath, userKnownHostsPath, defaultKeyDir, env);
  }

  public TransportOptions withConnectTimeout(Duration timeout) {
    return new TransportOptions(acceptNewHostKeys, timeout, sshConfigPath, userKnownHostsPath, defaultKeyDir, env);
  }

  public TransportOptions withSshConfigPath(Path path) {
    return new TransportOptions(acceptNewHostKeys, connectTimeout, path, userKnownHostsPath, defaultKeyDir, env);
  }

  public TransportOptions withUserKnownHostsPath(Path path) {
    return new TransportOptions(acceptNewHostKeys, connectTimeout, sshConfigPath, path, defaultKeyDir, env);
  }

  public TransportOptions withDefaultKeyDir(Path dir) {
    return new TransportOptions(acceptNewHostKeys, connectTimeout, sshConfigPath, userKnownHostsPath, dir, env);
  }

  public TransportOptions withEnv(Map<String, String> environment) {
    return new TransportOptions(acceptNewHostKeys, connectTimeout, sshConfigPath, userKnownHostsPath, defaultKeyDir, environment);
  }

  @Override
  public String toString() {
    // env may hold secrets.
    return "TransportOptions[acceptNewHostKeys=" + acceptNewHostKeys + ", connectTimeout=" + connectTimeout
        + ", sshConfigPath=" + sshConfigPath + ", userKnownHostsPath=" + userKnownHostsPath
        + ", defaultKeyDir=" + defaultKeyDir + ", env=" + env.size() + " variables]";
  }
}
