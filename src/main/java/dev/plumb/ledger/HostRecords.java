package dev.plumb.ledger;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Run records of hosts that converge themselves ({@code plumb pull}): each host commits its record
 * to its own ref {@code refs/plumb/hosts/<name>} of the playbook repository, so hosts never contend
 * for one ref. A record commit's parent is the host's previous record; its tree holds the run's
 * JSON report ({@code run.json}), the host's facts ({@code facts.json}) and the commit applied
 * ({@code commit}).
 */
public final class HostRecords {
  public static final String PREFIX = "refs/plumb/hosts/";

  private HostRecords() {}

  /** One host's latest record. */
  public record Record(String host, ObjectId id, Instant when, String message, Map<String, byte[]> files) {
    public Optional<String> file(String path) {
      byte[] b = files.get(path);
      return b == null ? Optional.empty() : Optional.of(new String(b, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** The ref of {@code host}'s records. Host names are checked by the inventory; a ref needs a bit more. */
  public static String ref(String host) {
    String ref = PREFIX + host;
    if (!Repository.isValidRefName(ref)) {
      throw new IllegalArgumentException("host name " + host + " cannot name a git ref (" + ref + ")");
    }
    return ref;
  }

  /**
   * Commits {@code files} as {@code host}'s new record on top of its last one and pushes it to
   * {@code url}. The push is a compare and swap against the record this cache pushed last (kept in
   * the local ref of the same name): the remote ref moves only if it still holds that record. If
   * it holds another one (the cache was wiped, or another machine claims this name), the remote's
   * record is fetched, the new one rebuilt on it, and pushed once more.
   *
   * @return the record commit pushed
   * @throws IOException when the remote refuses or cannot be reached (the local ref is unchanged)
   */
  public static ObjectId push(Repository local, String url, String host, String message, Map<String, byte[]> files,
      Instant when, int timeoutSeconds) throws IOException {
    String ref = ref(host);
    Ref last = local.exactRef(ref);
    ObjectId expected = last == null ? ObjectId.zeroId() : last.getObjectId();
    for (int attempt = 0; ; attempt++) {
      ObjectId commit = Commits.write(local, expected.equals(ObjectId.zeroId()) ? null : expected, false, message, files, when);
      RemoteRefUpdate.Status status = pushOne(local, url, commit, ref, expected, timeoutSeconds);
      if (status == RemoteRefUpdate.Status.OK || status == RemoteRefUpdate.Status.UP_TO_DATE) {
        RefUpdate update = local.updateRef(ref);
        update.setNewObjectId(commit);
        update.setForceUpdate(true);
        update.update();
        return commit;
      }
      if (status != RemoteRefUpdate.Status.REJECTED_REMOTE_CHANGED
          && status != RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD || attempt > 0) {
        throw new IOException(url + " refused " + ref + ": " + status);
      }
      expected = fetchOne(local, url, ref, timeoutSeconds).orElse(ObjectId.zeroId());
    }
  }

  private static RemoteRefUpdate.Status pushOne(Repository local, String url, ObjectId commit, String ref,
      ObjectId expected, int timeoutSeconds) throws IOException {
    try (Transport transport = Transport.open(local, url)) {
      transport.setTimeout(timeoutSeconds);
      RemoteRefUpdate update = new RemoteRefUpdate(local, null, commit, ref, true, null, expected);
      PushResult result = transport.push(NullProgressMonitor.INSTANCE, List.of(update));
      RemoteRefUpdate done = result.getRemoteUpdate(ref);
      return done.getStatus();
    } catch (org.eclipse.jgit.errors.TransportException | java.net.URISyntaxException e) {
      throw new IOException("cannot push " + ref + " to " + url + ": " + e.getMessage(), e);
    }
  }

  /** Fetches one host's record ref into the same local ref; empty when the remote has none. */
  private static Optional<ObjectId> fetchOne(Repository local, String url, String ref, int timeoutSeconds) throws IOException {
    try (Git git = Git.wrap(local)) { // closing a wrapping Git leaves the caller's repository open
      git.fetch().setRemote(url).setRefSpecs(new RefSpec("+" + ref + ":" + ref))
          .setDepth(1).setTagOpt(TagOpt.NO_TAGS).setTimeout(timeoutSeconds).call();
    } catch (GitAPIException e) {
      throw new IOException("cannot fetch " + ref + " from " + url + ": " + e.getMessage(), e);
    }
    Ref r = local.exactRef(ref);
    return r == null ? Optional.empty() : Optional.of(r.getObjectId());
  }

  /**
   * Fetches every host's record ref of {@code url} ({@code refs/plumb/hosts/*}) into {@code local},
   * pruning refs of hosts the remote no longer has. Only the latest record of each host is fetched.
   */
  public static void fetchAll(Repository local, String url, int timeoutSeconds) throws IOException {
    try (Git git = Git.wrap(local)) { // closing a wrapping Git leaves the caller's repository open
      git.fetch().setRemote(url).setRefSpecs(new RefSpec("+" + PREFIX + "*:" + PREFIX + "*"))
          .setDepth(1).setTagOpt(TagOpt.NO_TAGS).setRemoveDeletedRefs(true).setTimeout(timeoutSeconds).call();
    } catch (GitAPIException e) {
      throw new IOException("cannot fetch " + PREFIX + "* from " + url + ": " + e.getMessage(), e);
    }
  }

  /** The latest record of every host with a ref in {@code repo}, by host name. */
  public static List<Record> latest(Repository repo) throws IOException {
    List<Record> records = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo)) {
      for (Ref ref : repo.getRefDatabase().getRefsByPrefix(PREFIX)) {
        RevCommit c = walk.parseCommit(ref.getObjectId());
        Map<String, byte[]> files = new TreeMap<>();
        try (TreeWalk tw = new TreeWalk(repo)) {
          tw.addTree(c.getTree());
          tw.setRecursive(true);
          while (tw.next()) {
            files.put(tw.getPathString(), repo.open(tw.getObjectId(0)).getBytes());
          }
        }
        records.add(new Record(ref.getName().substring(PREFIX.length()), c.getId(),
            c.getCommitterIdent().getWhenAsInstant(), c.getFullMessage().strip(), files));
      }
    }
    records.sort(java.util.Comparator.comparing(Record::host));
    return records;
  }
}
