package dev.plumb.ledger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Run records and the latest facts of each host, committed to a git ref ({@value #REF}) of the
 * repository that holds the playbooks. It never touches the work tree, the index or a branch: the
 * ledger is history beside the code, readable with {@code git log refs/plumb/ledger}.
 */
public final class Ledger implements AutoCloseable {
  public static final String REF = "refs/plumb/ledger";
  static final int ATTEMPTS = 20;

  private final Repository repo;

  private Ledger(Repository repo) {
    this.repo = repo;
  }

  /** The ledger of the git repository containing {@code start}, if it is in one. */
  public static Optional<Ledger> find(Path start) throws IOException {
    return RepoState.open(start).map(Ledger::new);
  }

  /**
   * Commits {@code files} (path in the ledger tree → content) on top of the ledger's tip. Other
   * files of the tip are kept. The ref moves only if nobody else moved it meanwhile (compare and
   * swap); a lost race is retried on the new tip (two runs recording at once both land), and
   * reported only after {@value #ATTEMPTS} lost races in a row.
   *
   * @return the new commit
   */
  public ObjectId record(String message, Map<String, byte[]> files, Instant when) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Ref tip = repo.exactRef(REF);
      ObjectId parent = tip == null ? null : tip.getObjectId();
      ObjectId commit = Commits.write(repo, parent, true, message, files, when);
      RefUpdate update = repo.updateRef(REF);
      update.setNewObjectId(commit);
      update.setExpectedOldObjectId(parent == null ? ObjectId.zeroId() : parent);
      update.setRefLogMessage("plumb: " + message, false);
      RefUpdate.Result result = update.update();
      switch (result) {
        case NEW, FAST_FORWARD, FORCED -> {
          return commit;
        }
        case LOCK_FAILURE, REJECTED -> {
          if (attempt + 1 >= ATTEMPTS) {
            throw new IOException("other runs moved " + REF + " " + ATTEMPTS + " times while this one was recording; run again");
          }
          // A short random pause, so racing writers do not collide again in lockstep.
          try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 20L * (attempt + 1)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while recording", e);
          }
        }
        default -> throw new IOException("could not move " + REF + ": " + result);
      }
    }
  }

  /** A file of the ledger's tip, if the ledger and the file exist. */
  public Optional<byte[]> read(String path) throws IOException {
    Ref tip = repo.exactRef(REF);
    if (tip == null) {
      return Optional.empty();
    }
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit commit = walk.parseCommit(tip.getObjectId());
      try (TreeWalk tw = TreeWalk.forPath(repo, path, commit.getTree())) {
        return tw == null ? Optional.empty() : Optional.of(repo.open(tw.getObjectId(0)).getBytes());
      }
    }
  }

  @Override
  public void close() {
    repo.close();
  }
}
