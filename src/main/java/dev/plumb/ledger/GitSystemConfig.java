package dev.plumb.ledger;

import java.io.File;
import java.util.Map;
import org.eclipse.jgit.util.FS;

/**
 * Where git's system-wide configuration is, told to JGit so that it does not ask git.
 *
 * <p>Left to itself, JGit's first repository open runs {@code git --version} and then {@code git
 * config --system --show-origin --list} to learn that path (FS.discoverGitSystemConfig): two
 * processes in every run that reads the ledger, the drift records or a pulled repository, about
 * 30 ms of a one-host check. Git as the distributions build it (Debian, Ubuntu, Fedora, EL) reads
 * {@code /etc/gitconfig}, or the file {@code GIT_CONFIG_SYSTEM} names (git 2.32+);
 * {@code GIT_CONFIG_NOSYSTEM} still turns it off (JGit checks it before asking for the path). A git
 * built from source with another prefix keeps its system file elsewhere: name it with
 * {@code GIT_CONFIG_SYSTEM}.
 */
public final class GitSystemConfig {
  private GitSystemConfig() {}

  private static volatile boolean set;

  /**
   * Sets the path, once per process (JGit's file system object is process-wide). Called where a
   * repository is opened (RepoState.open, which Ledger.find and every other opener in this package
   * use; plan --against; pull), not at start: initialising JGit's
   * file system object alone loads a few hundred classes, which a run that opens no repository
   * (lint, a converged check) must not pay.
   */
  public static void useWithoutRunningGit() {
    if (!set) {
      synchronized (GitSystemConfig.class) {
        if (!set) {
          tell(FS.DETECTED, System.getenv());
          set = true;
        }
      }
    }
  }

  /** Tells {@code fs} the system configuration file git reads under {@code env}. */
  static void tell(FS fs, Map<String, String> env) {
    fs.setGitSystemConfig(path(env));
  }

  /** The system configuration file git reads under this environment. */
  static File path(Map<String, String> env) {
    String named = env.get("GIT_CONFIG_SYSTEM");
    return new File(named == null || named.isEmpty() ? "/etc/gitconfig" : named);
  }
}
