package dev.plumb.pull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The host's local cache of the playbook repository: a bare git repository holding only the
 * objects of the commits it fetched (shallow, depth 1), and the commit it last loaded.
 *
 * <p>Refs it keeps: {@value #FETCHED} (the tip of the last fetch, not yet trusted) and
 * {@value #LOADED} (the last commit that passed verification and was loaded). A fetch that fails
 * half way leaves both as they were: JGit writes the pack first and moves refs last.
 */
public final class GitSource implements AutoCloseable {
  public static final String FETCHED = "refs/plumb/pull/fetched";
  public static final String LOADED = "refs/plumb/pull/loaded";

  private final Path dir;
  private final Repository repo;

  private GitSource(Path dir, Repository repo) {
    this.dir = dir;
    this.repo = repo;
  }

  /** Opens the cache at {@code dir}, creating an empty bare repository there the first time. */
  public static GitSource open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
    try {
      if (!repo.getObjectDatabase().exists()) {
        repo.create(true);
      }
    } catch (IOException | RuntimeException e) {
      repo.close();
      throw e;
    }
    return new GitSource(dir, repo);
  }

  public Repository repository() {
    return repo;
  }

  /** The full ref name of {@code ref}: a branch name ({@code main}) or a full name ({@code refs/tags/v1}). */
  public static String fullRef(String ref) {
    return ref.startsWith("refs/") ? ref : Constants.R_HEADS + ref;
  }

  /**
   * Fetches {@code ref} of {@code url} at depth 1 (only the objects of its tip that the cache lacks)
   * into {@value #FETCHED}.
   *
   * @return the fetched commit
   * @throws PullException.Fetch when the remote cannot be reached or has no such ref
   */
  public ObjectId fetch(String url, String ref, int timeoutSeconds) {
    String full = fullRef(ref);
    try (Git git = Git.wrap(repo)) { // closing a wrapping Git leaves the repository open, for this source to close
      FetchResult result = git.fetch()
          .setRemote(url)
          .setRefSpecs(new RefSpec("+" + full + ":" + FETCHED))
          .setDepth(1)
          .setTagOpt(TagOpt.NO_TAGS)
          .setTimeout(timeoutSeconds)
          .call();
      if (result.getAdvertisedRef(full) == null) {
        throw new PullException.Fetch(url + " has no ref " + full, "check --ref (a branch name such as main, or a full ref name)");
      }
      return repo.exactRef(FETCHED).getObjectId();
    } catch (GitAPIException | IOException | RuntimeException e) {
      if (e instanceof PullException) {
        throw (PullException) e;
      }
      throw new PullException.Fetch("cannot fetch " + full + " from " + url + ": " + rootMessage(e),
          "check that the git server is reachable and the URL is right; the last loaded commit is kept");
    }
  }

  private static String rootMessage(Throwable e) {
    String message = e.getMessage();
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c.getMessage() != null) {
        message = message == null ? c.getMessage() : message + ": " + c.getMessage();
      }
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }

  /** The commit last loaded from this cache, if any. */
  public Optional<ObjectId> loaded() throws IOException {
    Ref ref = repo.exactRef(LOADED);
    return ref == null ? Optional.empty() : Optional.of(ref.getObjectId());
  }

  /** Records {@code commit} as the one loaded (after it was verified and checked out). */
  public void markLoaded(ObjectId commit) throws IOException {
    RefUpdate update = repo.updateRef(LOADED);
    update.setNewObjectId(commit);
    update.setForceUpdate(true);
    update.setRefLogMessage("plumb pull: loaded", false);
    RefUpdate.Result result = update.update();
    if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FORCED
        && result != RefUpdate.Result.FAST_FORWARD && result != RefUpdate.Result.NO_CHANGE) {
      throw new IOException("could not move " + LOADED + ": " + result);
    }
  }

  public RevCommit parse(ObjectId commit) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit c = walk.parseCommit(commit);
      walk.parseBody(c);
      return c;
    }
  }

  /**
   * Writes the tree of {@code commit} into {@code <cache>/checkout/<commit id>}: into a temporary
   * directory first, renamed into place when every file is written, so a directory of that name is
   * always a whole commit. Checkouts of other commits are removed. Why a checkout and not reads
   * from the object database: the loader reads playbooks, inventories, vars files and modules/ by
   * path (with file:line:col in every message), and the path then names the commit.
   */
  public Path checkout(ObjectId commit) throws IOException {
    Path root = dir.resolve("checkout");
    Files.createDirectories(root);
    Path target = root.resolve(commit.name());
    if (!Files.isDirectory(target)) {
      Path tmp = Files.createTempDirectory(root, ".tmp-");
      try {
        writeTree(commit, tmp);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        deleteTree(tmp);
        throw e;
      }
    }
    try (Stream<Path> others = Files.list(root)) {
      for (Path other : others.filter(p -> !p.equals(target)).toList()) {
        deleteTree(other);
      }
    }
    return target;
  }

  private void writeTree(ObjectId commit, Path into) throws IOException {
    try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader);
        TreeWalk tw = new TreeWalk(reader)) {
      tw.addTree(walk.parseCommit(commit).getTree());
      tw.setRecursive(true);
      while (tw.next()) {
        Path file = into.resolve(tw.getPathString()).normalize();
        if (!file.startsWith(into)) {
          throw new IOException("refusing a path outside the checkout: " + tw.getPathString());
        }
        Files.createDirectories(file.getParent());
        FileMode mode = tw.getFileMode(0);
        byte[] bytes = reader.open(tw.getObjectId(0)).getBytes();
        if (mode == FileMode.SYMLINK) {
          Files.createSymbolicLink(file, Path.of(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
        } else if (mode == FileMode.GITLINK) {
          Files.createDirectories(file);
        } else {
          try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes);
          }
          if (mode == FileMode.EXECUTABLE_FILE) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
          }
        }
      }
    }
  }

  static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Reads one file of {@code commit}'s tree, if present (for tests and diagnostics). */
  public Optional<byte[]> read(ObjectId commit, String path) throws IOException {
    try (RevWalk walk = new RevWalk(repo); TreeWalk tw = TreeWalk.forPath(repo, path, walk.parseCommit(commit).getTree())) {
      if (tw == null) {
        return Optional.empty();
      }
      try (InputStream in = repo.open(tw.getObjectId(0)).openStream()) {
        return Optional.of(in.readAllBytes());
      }
    }
  }

  @Override
  public void close() {
    repo.close();
  }
}
