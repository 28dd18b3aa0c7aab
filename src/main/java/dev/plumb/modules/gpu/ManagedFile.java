package dev.plumb.modules.gpu;

import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.modules.TextDiff;
import java.util.List;
import java.util.Optional;

/** The change that makes a whole file plumb manages hold exactly some content (or not exist). */
final class ManagedFile {
  private ManagedFile() {}

  static final String HEADER = "# managed by plumb";

  /** Empty when the file already holds {@code want} ({@code null} = must not exist). */
  static Optional<Change> converge(FactSet facts, String path, String want) {
    Optional<FactResult.Content> have = facts.file(path);
    String old = have.map(FactResult.Content::text).orElse(null);
    if (want == null) {
      if (have.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(Change.of(Action.DELETE, path, "absent", List.of(Command.deleteFile(path, have.get().sha256())))
          .withDiff(TextDiff.unified(path, old, null))
          .withWrite(path, new FactResult.Missing()));
    }
    if (want.equals(old)) {
      return Optional.empty();
    }
    String sha = have.map(FactResult.Content::sha256).orElse(null);
    Action action = have.isEmpty() ? Action.CREATE : Action.UPDATE;
    return Optional.of(Change.of(action, old == null ? "absent" : path, path, List.of(Command.writeFile(path, want, sha, null)))
        .withDiff(TextDiff.unified(path, old, want))
        .withWrite(path, FactResult.content(want)));
  }
}
