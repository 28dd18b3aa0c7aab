package dev.plumb.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.BranchConfig;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code plumb watch --fetch}: the checkout the watcher runs from follows its branch's upstream.
 * Each cycle fetches the upstream remote and fast-forwards the checked-out branch (and its working
 * tree) to it, the way {@code git pull --ff-only} would; the watcher then sees a moved HEAD and
 * reloads. It never merges, rebases or overwrites: a checkout with local changes or commits of its
 * own is left as it is and reported, and the commit already loaded goes on being used.
 */
final class Upstream {
  static final int FETCH_TIMEOUT_SECONDS = 30;

  private Upstream() {}

  /** Why the checkout holding {@code playbook} cannot follow an upstream, or empty when it can. */
  static Optional<String> refusal(Path playbook) {
    try (Repository repo = open(playbook)) {
      return tracking(repo).isPresent() ? Optional.empty() : Optional.of(noUpstream(repo));
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Fetches the upstream and fast-forwards the checkout to it.
   *
   * @return what happened worth saying (fast-forwarded, or why not), or empty when nothing moved
   */
  static Optional<String> follow(Path playbook) {
    try (Repository repo = open(playbook); Git git = Git.wrap(repo)) {
      Optional<String> tracking = tracking(repo);
      if (tracking.isEmpty()) {
        return Optional.of(noUpstream(repo));
      }
      BranchConfig branch = new BranchConfig(repo.getConfig(), repo.getBranch());
      git.fetch().setRemote(branch.getRemote()).setTimeout(FETCH_TIMEOUT_SECONDS).call();
      ObjectId upstream = repo.resolve(tracking.get());
      ObjectId head = repo.resolve("HEAD");
      if (upstream == null || upstream.equals(head)) {
        return Optional.empty();
      }
      String name = Repository.shortenRefName(tracking.get());
      try (RevWalk walk = new RevWalk(repo)) {
        if (head != null && walk.isMergedInto(walk.parseCommit(upstream), walk.parseCommit(head))) {
          return Optional.empty(); // the checkout is ahead: nothing to take
        }
        if (head != null && !walk.isMergedInto(walk.parseCommit(head), walk.parseCommit(upstream))) {
          return Optional.of("the checkout's branch " + repo.getBranch() + " and " + name
              + " have diverged: not fast-forwarded; fix: reset the watcher's checkout to " + name);
        }
      }
      if (git.status().call().hasUncommittedChanges()) {
        return Optional.of("the checkout has local changes: not fast-forwarded to " + name
            + " (" + upstream.abbreviate(10).name() + "); fix: commit or discard them in "
            + repo.getWorkTree());
      }
      MergeResult merged = git.merge().include(upstream).setFastForward(MergeCommand.FastForwardMode.FF_ONLY).call();
      if (!merged.getMergeStatus().isSuccessful()) {
        return Optional.of("could not fast-forward to " + name + ": " + merged.getMergeStatus());
      }
      return Optional.of("fast-forwarded " + repo.getBranch() + " to " + name + " (" + upstream.abbreviate(10).name() + ")");
    } catch (IOException | GitAPIException | RuntimeException e) {
      return Optional.of("could not fetch: " + rootMessage(e) + "; the commit loaded is kept");
    }
  }

  private static Repository open(Path playbook) throws IOException {
    return dev.plumb.ledger.RepoState.open(playbook).orElseThrow(() -> new IOException(
        playbook + " is not in a git repository: --fetch follows a clone's upstream; leave it out, or run from a clone"));
  }

  /** The remote-tracking ref of the checked-out branch (refs/remotes/origin/main), if it has one on a remote. */
  private static Optional<String> tracking(Repository repo) throws IOException {
    String branch = repo.getBranch();
    if (branch == null || ObjectId.isId(branch)) {
      return Optional.empty();
    }
    BranchConfig config = new BranchConfig(repo.getConfig(), branch);
    if (config.getRemote() == null || config.getRemote().equals(".")) {
      return Optional.empty();
    }
    return Optional.ofNullable(config.getRemoteTrackingBranch());
  }

  private static String noUpstream(Repository repo) {
    String branch;
    try {
      branch = repo.getBranch();
    } catch (IOException e) {
      branch = "HEAD";
    }
    return "the checkout's branch " + branch + " has no upstream on a remote: --fetch has nothing to follow; "
        + "fix: git branch --set-upstream-to=origin/" + branch + " in " + repo.getWorkTree() + ", or leave out --fetch";
  }

  private static String rootMessage(Throwable e) {
    String message = e.getMessage();
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c.getMessage() != null && (message == null || !message.contains(c.getMessage()))) {
        message = message == null ? c.getMessage() : message + ": " + c.getMessage();
      }
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
