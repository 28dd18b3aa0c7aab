package dev.plumb.cli;

import java.io.PrintWriter;
import java.util.Optional;

/**
 * What {@code plumb watch} runs from: the last good load of the input and the commit it came from.
 * At each cycle's start it follows the upstream (with --fetch), then loads again when HEAD moved or
 * a reload was asked for (SIGHUP). Input that does not load, or a repository that cannot be read,
 * leaves the last good load in use; it is reported (with the input's own errors, file:line:col) and
 * tried again at every cycle until it loads.
 */
final class WatchInput {
  private final CommonOptions common;
  private final boolean fetch;
  private Session session;
  private Optional<String> commit;
  private boolean failing;

  private WatchInput(CommonOptions common, boolean fetch, Session session, Optional<String> commit) {
    this.common = common;
    this.fetch = fetch;
    this.session = session;
    this.commit = commit;
  }

  /** The first load: null (the reasons printed) when the input or the --fetch setup is wrong. */
  static WatchInput load(CommonOptions common, boolean fetch, PrintWriter err) {
    if (fetch) {
      Optional<String> refusal = Upstream.refusal(common.playbook);
      if (refusal.isPresent()) {
        err.println("plumb: " + refusal.get());
        return null;
      }
    }
    Session session = Session.load(common, err);
    return session == null ? null : new WatchInput(common, fetch, session, Recorder.headCommit(common.playbook));
  }

  Session session() {
    return session;
  }

  /**
   * Whether the load in use is the checkout as it is: not while the last good load stands in for
   * input that does not load (a cycle recorded then would name a commit it did not run).
   */
  boolean current() {
    return !failing;
  }

  /**
   * Brings the input up to date for the next cycle.
   *
   * @param asked a reload was asked for (SIGHUP)
   * @return whether a new load replaced the last one
   */
  boolean refresh(boolean asked, PrintWriter err) {
    if (fetch) {
      Upstream.follow(common.playbook).ifPresent(n -> err.println("plumb watch: --fetch: " + n));
    }
    Optional<String> head = Recorder.headCommit(common.playbook);
    String why = asked ? "SIGHUP"
        : !head.equals(commit) ? "the repository moved to " + head.map(WatchInput::shortId).orElse("(unreadable)")
        : failing ? "trying again" : null;
    if (why == null) {
      return false;
    }
    String kept = "keeping the last good load" + commit.map(c -> " (commit " + shortId(c) + ")").orElse("");
    if (head.isEmpty() && commit.isPresent()) {
      err.println("plumb watch: the repository of " + common.playbook + " cannot be read; " + kept);
      failing = true;
      err.flush();
      return false;
    }
    Session next = Session.load(common, err);
    if (next == null) {
      err.println("plumb watch: " + why + ": the input could not be loaded; " + kept);
      failing = true;
      err.flush();
      return false;
    }
    session = next;
    commit = head;
    err.println("plumb watch: reloaded (" + why + ")" + (failing ? "; the input loads again" : "")
        + "; what changed is classed rollout");
    failing = false;
    err.flush();
    return true;
  }

  static String shortId(String commit) {
    return commit.length() > 10 ? commit.substring(0, 10) : commit;
  }
}
