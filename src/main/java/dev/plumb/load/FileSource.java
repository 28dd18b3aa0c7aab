package dev.plumb.load;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Where the loader reads the playbook, inventory and vars from: the work tree, or a git revision.
 * A revision is read from the object database into an in-memory file system laid out at the same
 * absolute paths, so the loader reads it with its ordinary file calls, paths and marks read the
 * same as in the work tree, and nothing is checked out (the work tree and index are untouched).
 */
public sealed interface FileSource extends AutoCloseable {

  /** The path to hand the loader for {@code path} as the user gave it (relative or absolute). */
  Path resolve(Path path);

  @Override
  void close();

  /** Files as they are on disk. */
  static FileSource workTree() {
    return new WorkTree();
  }

  /**
   * Files as they are at {@code rev} (a branch, tag or commit) of the repository holding {@code
   * inRepository}. Paths outside the repository ({@code outside}: an inventory elsewhere) are taken
   * from disk as they are now.
   *
   * @throws IOException when there is no repository or the revision does not name a commit
   */
  static FileSource revision(Path inRepository, String rev, List<Path> outside) throws IOException {
    return Revision.read(inRepository, rev, outside);
  }

  /** Files on disk. */
  record WorkTree() implements FileSource {
    @Override
    public Path resolve(Path path) {
      return path;
    }

    @Override
    public void close() {}
  }

  /** A commit's tree in memory; {@code commit} is its full id. */
  record Revision(FileSystem files, String commit) implements FileSource {
    @Override
    public Path resolve(Path path) {
      return files.getPath(path.toString());
    }

    @Override
    public void close() {
      try {
        files.close();
      } catch (IOException e) {
        // An in-memory file system has nothing to release that matters.
      }
    }

    static Revision read(Path inRepository, String rev, List<Path> outside) throws IOException {
      Path start = inRepository.toAbsolutePath().normalize();
      FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(start.toFile());
      if (builder.getGitDir() == null) {
        throw new IOException(inRepository + " is not in a git repository");
      }
      try (Repository repo = builder.build()) {
        ObjectId id = repo.resolve(rev + "^{commit}");
        if (id == null) {
          throw new IOException("'" + rev + "' names no commit in " + repo.getWorkTree()
              + " (a branch, tag or commit id; `git log --oneline` lists them)");
        }
        Path root = repo.getWorkTree().toPath().toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
            .setWorkingDirectory(cwd.toString()).setAttributeViews("basic").build());
        try {
          Files.createDirectories(fs.getPath(cwd.toString()));
          copyTree(repo, id, fs, root);
          for (Path p : outside) {
            Path abs = p.toAbsolutePath().normalize();
            if (!abs.startsWith(root)) {
              copyFromDisk(abs, fs);
            }
          }
          return new Revision(fs, id.name());
        } catch (IOException | RuntimeException e) {
          fs.close();
          throw e;
        }
      }
    }

    private static void copyTree(Repository repo, ObjectId commitId, FileSystem fs, Path root) throws IOException {
      try (RevWalk walk = new RevWalk(repo); TreeWalk tw = new TreeWalk(repo)) {
        RevCommit commit = walk.parseCommit(commitId);
        tw.addTree(commit.getTree());
        tw.setRecursive(true);
        while (tw.next()) {
          FileMode mode = tw.getFileMode(0);
          Path target = fs.getPath(root.resolve(tw.getPathString()).toString());
          if (mode == FileMode.GITLINK) {
            continue; // a submodule's files are in another repository
          }
          Files.createDirectories(target.getParent());
          byte[] bytes = repo.open(tw.getObjectId(0), Constants.OBJ_BLOB).getBytes();
          if (mode == FileMode.SYMLINK) {
            Files.createSymbolicLink(target, fs.getPath(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
          } else {
            Files.write(target, bytes);
          }
        }
      }
    }

    private static void copyFromDisk(Path abs, FileSystem fs) throws IOException {
      if (!Files.exists(abs)) {
        return;
      }
      try (Stream<Path> walk = Files.walk(abs)) {
        for (Path p : (Iterable<Path>) walk::iterator) {
          Path target = fs.getPath(p.toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else if (Files.isRegularFile(p)) {
            Files.createDirectories(target.getParent());
            Files.write(target, Files.readAllBytes(p));
          }
        }
      }
    }
  }
}
