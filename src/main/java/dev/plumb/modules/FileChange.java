package dev.plumb.modules;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.text.TextDiff;
import java.util.List;
import java.util.Optional;

/**
 * The change that makes a file hold a given text, or go away: the shared core of every module
 * that edits files (file, line, ini, and GPU modules that own a config file).
 *
 * <p>It follows the contract for file edits: a unified diff, one guarded whole-content write (or
 * delete) and the predicted content in {@link Change#writes()}; no change and no command when the
 * content is already right; a blocker when the file cannot be read.
 */
public final class FileChange {
  private FileChange() {}

  /**
   * The change that makes {@code path} hold exactly {@code wanted}.
   *
   * @param current the file fact as read (or as an earlier step predicts it)
   * @param mode the mode for the write (octal, e.g. "0644"), or null to keep the file's mode (0644
   *     for a new file)
   */
  public static Change write(String path, FactResult current, String wanted, String mode) {
    if (current instanceof FactResult.Content c) {
      String old = c.text();
      if (old.equals(wanted)) {
        return Change.none(describe(old));
      }
      return Change.of(Action.UPDATE, describe(old), describe(wanted),
              List.of(Command.writeFile(path, wanted, c.sha256(), mode)))
          .withDiff(TextDiff.unified(path, old, wanted))
          .withWrite(path, FactResult.content(wanted));
    }
    if (current instanceof FactResult.Missing) {
      return Change.of(Action.CREATE, "absent", describe(wanted),
              List.of(Command.writeFile(path, wanted, null, mode)))
          .withDiff(TextDiff.unified(path, null, wanted))
          .withWrite(path, FactResult.content(wanted));
    }
    return unreadable(path, describe(wanted));
  }

  /**
   * The change that makes {@code path} hold exactly {@code wanted} (keeping its mode), or not exist
   * when {@code wanted} is null; empty when the file is already right. For modules that own a whole
   * file as one part of a larger change.
   */
  public static Optional<Change> converge(FactSet facts, String path, String wanted) {
    FactResult current = facts.get(Fact.file(path));
    Change c = wanted == null ? delete(path, current) : write(path, current, wanted, null);
    return c.changes() ? Optional.of(c) : Optional.empty();
  }

  /** The change that deletes {@code path}; none when it is already missing. */
  public static Change delete(String path, FactResult current) {
    if (current instanceof FactResult.Missing) {
      return Change.none("absent");
    }
    if (current instanceof FactResult.Content c) {
      return Change.of(Action.DELETE, describe(c.text()), "absent", List.of(Command.deleteFile(path, c.sha256())))
          .withDiff(TextDiff.unified(path, c.text(), null))
          .withWrite(path, new FactResult.Missing());
    }
    return unreadable(path, "absent");
  }

  /** A blocked change for a path that exists but cannot be read: plumb will not write blind. */
  public static Change unreadable(String path, String after) {
    return Change.of(Action.UPDATE, "unreadable", after, List.of())
        .withBlocker(path + " exists but cannot be read (a directory, or no permission): plumb will not replace"
            + " content it cannot see; fix the path or its permissions");
  }

  /** A few words for a text in before/after: "3 lines, 42 bytes". */
  public static String describe(String text) {
    long lines = text.chars().filter(ch -> ch == '\n').count() + (text.isEmpty() || text.endsWith("\n") ? 0 : 1);
    int bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    return lines + (lines == 1 ? " line, " : " lines, ") + bytes + (bytes == 1 ? " byte" : " bytes");
  }
}
