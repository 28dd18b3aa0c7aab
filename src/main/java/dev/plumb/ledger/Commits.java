package dev.plumb.ledger;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
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
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Writes a record commit straight into the object database (an in-core index, no work tree), for
 * the ledger and for the hosts' own record refs alike; moving a ref to it is the caller's part.
 */
final class Commits {
  private Commits() {}

  /**
   * A commit of {@code files} on {@code parent} (null for the first).
   *
   * @param keepParentTree true: the parent's files stay and {@code files} are written over them (the
   *     ledger accumulates runs); false: the tree holds {@code files} only (a host's record ref keeps
   *     its one latest run, earlier runs being its parents)
   */
  static ObjectId write(Repository repo, ObjectId parent, boolean keepParentTree, String message,
      Map<String, byte[]> files, Instant when) throws IOException {
    try (ObjectInserter inserter = repo.newObjectInserter(); ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      DirCache index = DirCache.newInCore();
      if (parent != null && keepParentTree) {
        DirCacheBuilder builder = index.builder();
        builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, walk.parseCommit(parent).getTree());
        builder.finish();
      }
      DirCacheEditor editor = index.editor();
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        ObjectId blob = inserter.insert(Constants.OBJ_BLOB, file.getValue());
        editor.add(new DirCacheEditor.PathEdit(file.getKey()) {
          @Override
          public void apply(DirCacheEntry entry) {
            entry.setFileMode(FileMode.REGULAR_FILE);
            entry.setObjectId(blob);
          }
        });
      }
      editor.finish();
      ObjectId tree = index.writeTree(inserter);
      PersonIdent who = new PersonIdent("plumb", "plumb@localhost", when, ZoneOffset.UTC);
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      if (parent != null) {
        commit.setParentIds(parent);
      }
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage(message + "\n");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    }
  }
}
