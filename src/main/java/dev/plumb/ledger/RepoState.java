package dev.plumb.ledger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The commit a playbook's repository is at and whether its tracked files differ from it: what a
 * run record and a saved plan name as the source they were made from.
 *
 * @param commit the full id of HEAD, or "" in a repository without a commit yet
 * @param dirty a tracked file is modified, added or deleted relative to HEAD (untracked files do
 *     not count, as in {@code git describe --dirty})
 */
public record RepoState(String commit, boolean dirty) {

  /** The state of the repository containing {@code path}, if it is in one. */
  public static Optional<RepoState> of(Path path) throws IOException {
    Optional<Repository> repo = open(path);
    if (repo.isEmpty()) {
      return Optional.empty();
    }
    try (Repository r = repo.get(); Git git = new Git(r)) {
      ObjectId head = r.resolve("HEAD");
      boolean dirty = head != null && git.status().call().hasUncommittedChanges();
      return Optional.of(new RepoState(head == null ? "" : head.name(), dirty));
    } catch (GitAPIException e) {
      throw new IOException("could not read the git status of " + path + ": " + e.getMessage(), e);
    }
  }

  /** The repository containing {@code path} (a file or directory), if any. */
  public static Optional<Repository> open(Path path) throws IOException {
    GitSystemConfig.useWithoutRunningGit();
    Path start = path.toAbsolutePath().normalize();
    if (!java.nio.file.Files.isDirectory(start) && start.getParent() != null) {
      start = start.getParent();
    }
    FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(start.toFile());
    return builder.getGitDir() == null ? Optional.empty() : Optional.of(builder.build());
  }

  /** The first 12 characters of the commit and "+dirty" when dirty: how logs show it. */
  public String shortForm() {
    String c = commit.isEmpty() ? "(no commit)" : commit.substring(0, Math.min(12, commit.length()));
    return dirty ? c + "+dirty" : c;
  }
}
