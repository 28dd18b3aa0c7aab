package dev.plumb.transport;

import dev.plumb.text.Shell;
import java.nio.charset.StandardCharsets;

/**
 * Privilege escalation with sudo, as pure functions. The become password goes to sudo's stdin,
 * never into the command line (argv is visible to every user of the host in /proc), and never to
 * the command's stdin.
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
    // The password must reach sudo and nothing else, whether or not sudo asks for it (NOPASSWD,
    // cached credentials): writing it ahead of the command's input made it the first line of
    // the files we wrote whenever sudo did not read it. So the wrapper reads exactly the first
    // line (read(1) takes one byte at a time from a pipe), hands it to a separate `sudo -v`
    // (which caches the credentials for this shell), and runs the command with `sudo -n` and the
    // rest of stdin, untouched. The password is in no argv and no file; `sudo -n` fails cleanly
    // ("a password is required") if the cache did not take. `; exit` keeps the shell alive as
    // sudo's parent (an exec'd last command would have another parent than `sudo -v` had).
    byte[] secret = (becomePassword + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] fed = new byte[secret.length + stdin.length];
    System.arraycopy(secret, 0, fed, 0, secret.length);
    System.arraycopy(stdin, 0, fed, secret.length, stdin.length);
    String wrapper = "IFS= read -r plumb_pw || exit 125; "
        + "printf '%s\\n' \"$plumb_pw\" | sudo -S -p '' -v -u " + user + " 2>/dev/null; "
        + "plumb_pw=; unset plumb_pw; "
        + "sudo -n -u " + user + " -- " + inner + "; exit $?";
    return new Wrapped("/bin/sh -c " + Shell.quote(wrapper), fed);
  }
}
