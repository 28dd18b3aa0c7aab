package dev.plumb.modules;

import dev.plumb.text.Shell;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One command of a change: an argv list (quoted by {@link Shell}, never by hand), optional stdin,
 * and how the plan shows it.
 *
 * <p>{@link #line()} is exactly what apply runs. {@link #shown()} is what the text plan prints: the
 * same line, except that the fixed write/delete helpers are shown by name with their arguments
 * (their script is constant and documented; the content is the diff shown above).
 */
public record Command(List<String> argv, byte[] stdin, String shown, boolean rebuild) {

  public Command {
    argv = List.copyOf(argv);
    stdin = stdin == null ? new byte[0] : stdin;
    shown = shown == null ? Shell.join(argv) : shown;
  }

  public Command(List<String> argv, byte[] stdin, String shown) {
    this(argv, stdin, shown, false);
  }

  public static Command of(String... argv) {
    return new Command(List.of(argv), null, null);
  }

  /**
   * A command that regenerates a file from its inputs and the host's state as it runs
   * ({@code update-grub}: grub.cfg from /etc/default/grub): running it once after the last change
   * to its inputs gives what running it after each would. Two steps of one plan that both edit
   * those inputs (kernel_cmdline, and pci_passthrough's vfio-pci.ids=) each carry it; the planner
   * keeps only the last ({@code plan.Planner}), so one run regenerates once.
   */
  public static Command rebuild(String... argv) {
    return new Command(List.of(argv), null, null, true);
  }

  public static Command of(List<String> argv) {
    return new Command(argv, null, null);
  }

  /** A shell snippet (module code; user values inside must already be quoted). */
  public static Command shell(String script) {
    return new Command(List.of("/bin/sh", "-c", script), null, script);
  }

  /** The command line apply runs with /bin/sh -c. */
  public String line() {
    return Shell.join(argv);
  }

  // Replaces a file atomically: refuses when the file is no longer what the plan saw, writes stdin
  // to a temp file in the same directory (same filesystem, so rename is atomic), checks that the
  // temp file is exactly the planned content (size and sha256: a client that dies mid-transfer
  // leaves cat a short input that looks complete), keeps the old file's owner (always) and mode
  // (unless a mode is given), then renames. chown goes before chmod because chown clears
  // setuid/setgid bits. Exit 17 = changed since the plan; 18 = the content arrived incomplete
  // (the temp file is removed, the target is untouched).
  static final String WRITE_SCRIPT =
      """
      set -e; p=$1; want=$2; mode=$3; size=$4; sum=$5
      d=$(dirname -- "$p")
      if [ "$want" = absent ]; then
        if [ -e "$p" ]; then echo "plumb: $p was created since the plan was made; run plan again" >&2; exit 17; fi
      else
        have=$(sha256sum < "$p" 2>/dev/null | cut -d' ' -f1) || have=
        if [ "$have" != "$want" ]; then echo "plumb: $p changed since the plan was made; run plan again" >&2; exit 17; fi
      fi
      mkdir -p -- "$d"
      t=$(mktemp "$d/.plumb.XXXXXX"); trap 'rm -f -- "$t"' EXIT
      cat > "$t"
      n=$(($(wc -c < "$t"))); got=$(sha256sum < "$t" | cut -d' ' -f1)
      if [ "$n" != "$size" ] || [ "$got" != "$sum" ]; then
        echo "plumb: $p: received $n of $size bytes (sha256 ${got%${got#????????????}}, planned ${sum%${sum#????????????}}); the transfer was cut, $p was left as it was" >&2; exit 18
      fi
      if [ -e "$p" ]; then chown "$(stat -L -c %u:%g -- "$p")" "$t"; fi
      if [ -n "$mode" ]; then chmod "$mode" "$t"
      elif [ -e "$p" ]; then chmod "$(stat -L -c %a -- "$p")" "$t"
      else chmod 644 "$t"; fi
      mv -f -- "$t" "$p"; trap - EXIT""";

  static final String DELETE_SCRIPT =
      """
      set -e; p=$1; want=$2
      have=$(sha256sum < "$p" 2>/dev/null | cut -d' ' -f1) || have=
      if [ "$have" != "$want" ]; then echo "plumb: $p changed since the plan was made; run plan again" >&2; exit 17; fi
      rm -f -- "$p\"""";

  /**
   * Writes {@code content} to {@code path} atomically, guarded by the sha256 of the content the
   * plan was made from ({@code null} when the file did not exist). {@code mode} may be null (keep
   * the old mode, or 0644 for a new file).
   */
  public static Command writeFile(String path, byte[] content, String expectedSha256, String mode) {
    String want = expectedSha256 == null ? "absent" : expectedSha256;
    String m = mode == null ? "" : mode;
    String shownMode = mode == null ? "" : " mode " + mode;
    return new Command(
        List.of("/bin/sh", "-c", WRITE_SCRIPT, "plumb-write", path, want, m,
            String.valueOf(content.length), dev.plumb.facts.FactResult.sha256(content)),
        content,
        "plumb-write " + Shell.quote(path) + shownMode + " (" + content.length + " bytes, sha256 "
            + dev.plumb.facts.FactResult.sha256(content).substring(0, 12) + "; if "
            + (expectedSha256 == null ? "still absent" : "sha256 is " + want.substring(0, 12)) + ")");
  }

  public static Command writeFile(String path, String content, String expectedSha256, String mode) {
    return writeFile(path, content.getBytes(StandardCharsets.UTF_8), expectedSha256, mode);
  }

  /** Deletes {@code path}, guarded by the sha256 of the content the plan was made from. */
  public static Command deleteFile(String path, String expectedSha256) {
    return new Command(
        List.of("/bin/sh", "-c", DELETE_SCRIPT, "plumb-delete", path, expectedSha256),
        null,
        "plumb-delete " + Shell.quote(path) + " (if sha256 is " + expectedSha256.substring(0, 12) + ")");
  }

  // What runs decides equality; the rebuild marker only guides the planner (a plan read back from
  // JSON has it no more, and needs it no more).
  @Override
  public boolean equals(Object o) {
    return o instanceof Command c && argv.equals(c.argv) && Arrays.equals(stdin, c.stdin) && shown.equals(c.shown);
  }

  @Override
  public int hashCode() {
    return argv.hashCode() * 31 + Arrays.hashCode(stdin);
  }

  @Override
  public String toString() {
    return shown;
  }
}
