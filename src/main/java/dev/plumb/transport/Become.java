package dev.plumb.transport;

import java.nio.charset.StandardCharsets;

/**
 * Privilege escalation with sudo, as pure functions. The become password goes to sudo's stdin,
 * never into the command line (argv is visible to every user of the host in /proc).
 */
final class Become {
  private Become() {}

  /** What to run and what to feed it. */
  record Wrapped(String command, byte[] stdin) {
    @Override
    public String toString() {
      // stdin may start with the become password.
      return "Wrapped[command=" + command + ", stdin=" + stdin.length + " bytes]";
    }
  }

  static Wrapped wrap(SshSettings settings, String command, byte[] stdin) {
    if (!settings.needsSudo()) {
      return new Wrapped(command, stdin);
    }
    return wrap(command, stdin, settings.becomeUser(), settings.becomePassword());
  }

  static Wrapped wrap(String command, byte[] stdin, String becomeUser, String becomePassword) {
    String user = Shell.quote(becomeUser);
    String inner = "/bin/sh -c " + Shell.quote(command);
    if (becomePassword == null) {
      return new Wrapped("sudo -n -u " + user + " -- " + inner, stdin);
    }
    // -S reads the password from stdin's first line; -p '' keeps the prompt out of stderr.
    byte[] secret = (becomePassword + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] fed = new byte[secret.length + stdin.length];
    System.arraycopy(secret, 0, fed, 0, secret.length);
    System.arraycopy(stdin, 0, fed, secret.length, stdin.length);
    return new Wrapped("sudo -S -p '' -u " + user + " -- " + inner, fed);
  }
}
