package dev.plumb.facts;

import dev.plumb.text.Bytes;
import dev.plumb.text.Shell;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the one script that reads every fact of a host, and decodes its output.
 *
 * <p>Framing: each fact's output is preceded by {@code <D> <i> BEGIN\n} and followed by {@code
 * \n<D> <i> END <status>\n}, where D is a random 128-bit delimiter chosen per run. The decoder looks
 * for the exact end marker of fact i, so output that contains newlines, NULs, no trailing newline,
 * or even a prefix of the delimiter decodes exactly. Status is {@code ok}, {@code missing}, {@code
 * unreadable} (files) or {@code exit N} (commands). Inside a {@link Fact.Files} fact each file is
 * framed the same way, {@code <D> <i> FILE <path>\0} before and {@code \n<D> <i> EOF\n} after its
 * content, and decoded into {@link FileListing}'s form.
 *
 * <p>Files in one batch: a process started on the host costs about a millisecond, the most of a
 * fact read, so the regular files of {@link Fact.File} facts (three or more) are read by one
 * {@code stat} and one {@code cat}, not a {@code cat} each. The batch comes first: {@code <D> B
 * BEGIN <i> <size> ...\n}, the files' bytes back to back, {@code \n<D> B END <status>\n}; the sizes
 * (from {@code stat}) split the bytes. A file of size 0 (procfs reports 0 for files that have
 * content) and any file that is not a readable regular file is read alone, as before. A file that
 * changed size between the {@code stat} and the {@code cat} makes the byte count disagree: that read
 * is refused ({@link Raced}) and read again, never split wrongly.
 *
 * <p>Kernel attributes read by the shell itself ({@link #kernelAttribute}): a sysfs attribute, a
 * sysctl and {@code /proc/cmdline} hold at most a page of text, so the shell's {@code read} builtin
 * reads one in a few hundred system calls and no process, where a {@code cat} costs a process
 * start. A sysfs attribute never goes in the batch: sysfs says size 4096 whatever the content. A
 * procfs one may: the kernel's says size 0, which leaves it out of the batch at run time, to be read
 * alone by {@code read}; a file with a size in its place (the lab binds regular files there) is
 * batched like any file.
 */
public final class FactScript {
  private final String delimiter;
  private final List<Fact> facts;

  private FactScript(String delimiter, List<Fact> facts) {
    this.delimiter = delimiter;
    this.facts = List.copyOf(facts);
  }

  /** A script for these facts (duplicates removed, order kept) with a fresh random delimiter. */
  public static FactScript of(Iterable<Fact> facts) {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    return of(facts, "PLUMB-" + HexFormat.of().formatHex(random));
  }

  static FactScript of(Iterable<Fact> facts, String delimiter) {
    // Equal facts read once; a command declared inline anywhere runs inline (its script keeps the contract).
    Map<Fact, Fact> unique = new LinkedHashMap<>();
    for (Fact f : asList(facts)) {
      unique.merge(f, f, (kept, again) -> kept instanceof Fact.Command c && !c.inline() ? again : kept);
    }
    return new FactScript(delimiter, new ArrayList<>(unique.values()));
  }

  private static List<Fact> asList(Iterable<Fact> facts) {
    List<Fact> list = new ArrayList<>();
    facts.forEach(list::add);
    return list;
  }

  public List<Fact> facts() {
    return facts;
  }

  /** Fewer files are read one by one: a batch costs two processes. */
  private static final int BATCH_FROM = 3;

  private boolean batched() {
    return facts.stream().filter(FactScript::inBatch).count() >= BATCH_FROM;
  }

  private static boolean inBatch(Fact fact) {
    return fact instanceof Fact.File f && !(kernelAttribute(f.path()) && f.path().startsWith("/sys/"));
  }

  /**
   * Whether a file is a kernel attribute the shell reads itself: a sysfs attribute, a sysctl or
   * {@code /proc/cmdline}. The kernel formats each of these into at most one page, and only these:
   * dash's {@code read} reads byte by byte, a system call per byte, so a large file would cost more
   * than the {@code cat} it saves (about a millisecond of host time for the process). sysfs's binary
   * attributes are left to {@code cat}: they hold NULs, which no shell variable keeps, and can be
   * larger than a page ({@code /sys/firmware}'s tables, a PCI function's config, ROM, VPD and BARs);
   * so are the other file systems mounted under /sys, whose files have no page limit (cgroup's
   * {@code cgroup.procs}, debugfs, tracefs, securityfs).
   */
  static boolean kernelAttribute(String path) {
    if (path.contains("/..") || path.contains("/./")) {
      return false;
    }
    if (path.equals("/proc/cmdline") || path.startsWith("/proc/sys/")) {
      return true;
    }
    if (!path.startsWith("/sys/") || NOT_SYSFS.stream().anyMatch(path::startsWith)) {
      return false;
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    return !(name.equals("config") || name.equals("rom") || name.equals("vpd") || PCI_RESOURCE.matcher(name).matches());
  }

  /** A PCI function's BAR files ({@code resource0}, {@code resource2_wc}): compiled once, as this runs at every read of facts. */
  private static final java.util.regex.Pattern PCI_RESOURCE = java.util.regex.Pattern.compile("resource\\d+(_wc)?");

  /** Under /sys, binary attributes ({@code /sys/firmware}) and other file systems than sysfs. */
  private static final List<String> NOT_SYSFS =
      List.of("/sys/firmware/", "/sys/fs/", "/sys/kernel/debug/", "/sys/kernel/tracing/", "/sys/kernel/security/");

  /**
   * The shell function that prints a kernel attribute read by {@code read}, returning 1 with
   * nothing printed when it cannot vouch for the bytes, for {@code cat} to decide: not a readable
   * regular file, nothing read (an empty file, or a read error: dash's {@code read} reports both as
   * end of file), or, with {@code lines}, a last line without its newline. That last rule is for
   * sysctls: a numeric one ({@code proc_dointvec} and its kin) answers only a read at offset 0, so
   * dash, reading a byte at a time, gets its first byte and then end of file; every sysctl ends its
   * value with a newline, so a value without one was cut. sysfs's and /proc/cmdline's text is a
   * seq_file, read at any offset, and may end without a newline. {@code IFS= read -r} keeps every
   * byte of a line (leading blanks, backslashes); each line read is given back its newline.
   */
  static final String KERNEL_READ = "plumb_nl='\n'\n"
      + "plumb_kr() { [ -f \"$1\" ] && [ -r \"$1\" ] || return 1; plumb_c=; plumb_l=\n"
      + "{ while IFS= read -r plumb_l; do plumb_c=$plumb_c$plumb_l$plumb_nl; done; } 2>/dev/null <\"$1\"\n"
      + "[ -n \"$plumb_c$plumb_l\" ] || return 1; [ -z \"$plumb_l\" ] || [ \"$2\" != lines ] || return 1\n"
      + "printf '%s%s' \"$plumb_c\" \"$plumb_l\"; }\n";

  /**
   * The shell script (POSIX sh, fed on stdin to {@code /bin/sh -s}). Its own variables and functions
   * are named {@code plumb_*}, a prefix no snippet uses ({@link Fact.Command}): an inline snippet
   * runs in the same shell, and one that set the delimiter or the status would forge the framing.
   */
  public String script() {
    StringBuilder s = new StringBuilder();
    s.append("plumb_D=").append(delimiter).append('\n');
    s.append("LC_ALL=C; export LC_ALL\n");
    // plumb_bd: the indexes read in the batch (reset: a kept shell runs this script again and again).
    s.append("plumb_bd=\n");
    if (facts.stream().anyMatch(f -> f instanceof Fact.File file && kernelAttribute(file.path()))) {
      s.append(KERNEL_READ);
    }
    if (batched()) {
      s.append("set --; plumb_bi=\n");
      for (int i = 0; i < facts.size(); i++) {
        if (inBatch(facts.get(i)) && facts.get(i) instanceof Fact.File f) {
          String p = Shell.quote(f.path());
          s.append("[ -f ").append(p).append(" ] && [ -r ").append(p).append(" ] && { set -- \"$@\" ").append(p)
              .append("; plumb_bi=\"$plumb_bi ").append(i).append("\"; }\n");
        }
      }
      // One size per file, in order; the files of size 0 are dropped from the batch ("$@" is
      // rotated: each file shifted off and appended again when it stays).
      s.append("if [ $# -gt 0 ] && plumb_z=$(stat -L -c %s -- \"$@\" 2>/dev/null); then plumb_bs=\n")
          .append("for plumb_n in $plumb_z; do plumb_i=${plumb_bi# }; plumb_i=${plumb_i%% *}; plumb_bi=${plumb_bi# }; ")
          .append("plumb_bi=${plumb_bi#\"$plumb_i\"}; plumb_f=$1; shift; if [ \"$plumb_n\" -gt 0 ] 2>/dev/null; then ")
          .append("set -- \"$@\" \"$plumb_f\"; plumb_bs=\"$plumb_bs $plumb_i $plumb_n\"; plumb_bd=\"$plumb_bd $plumb_i\"; fi; done\n")
          .append("if [ -n \"$plumb_bd\" ]; then printf '%s B BEGIN%s\\n' \"$plumb_D\" \"$plumb_bs\"; cat -- \"$@\" 2>/dev/null; ")
          .append("printf '\\n%s B END %s\\n' \"$plumb_D\" \"$?\"; fi; fi\n");
    }
    for (int i = 0; i < facts.size(); i++) {
      boolean file = inBatch(facts.get(i));
      if (file) {
        s.append("case \" $plumb_bd \" in *\" ").append(i).append(" \"*) ;; *)\n"); // unless read in the batch
      }
      s.append("printf '%s ").append(i).append(" BEGIN\\n' \"$plumb_D\"\n");
      if (facts.get(i) instanceof Fact.File f) {
        String p = Shell.quote(f.path());
        if (kernelAttribute(f.path())) {
          s.append("if plumb_kr ").append(p).append(f.path().startsWith("/proc/sys/") ? " lines" : "").append("; then plumb_s=ok; el");
        }
        s.append("if [ -e ").append(p).append(" ] || [ -L ").append(p).append(" ]; then ")
            .append("if cat -- ").append(p).append(" 2>/dev/null; then plumb_s=ok; else plumb_s=unreadable; fi; ")
            .append("else plumb_s=missing; fi\n");
      } else if (facts.get(i) instanceof Fact.Command c && c.inline()) {
        // The body of a function, run in this shell: no fork (Fact.Command's contract).
        s.append("plumb_fact() {\n").append(c.script()).append("\n}; plumb_fact </dev/null 2>/dev/null; plumb_s=\"exit $?\"\n");
      } else if (facts.get(i) instanceof Fact.Command c) {
        s.append("(\n").append(c.script()).append("\n) </dev/null 2>/dev/null; plumb_s=\"exit $?\"\n");
      } else if (facts.get(i) instanceof Fact.Files f) {
        // Each file framed with this run's delimiter, its path ended by NUL (which no path holds).
        s.append("for plumb_f in ").append(f.glob()).append("; do [ -f \"$plumb_f\" ] || continue; ")
            .append("printf '%s ").append(i).append(" FILE %s\\000' \"$plumb_D\" \"$plumb_f\"; cat -- \"$plumb_f\" 2>/dev/null; ")
            .append("printf '\\n%s ").append(i).append(" EOF\\n' \"$plumb_D\"; done; plumb_s=\"exit 0\"\n");
      }
      s.append("printf '\\n%s ").append(i).append(" END %s\\n' \"$plumb_D\" \"$plumb_s\"\n");
      if (file) {
        s.append(";;\nesac\n");
      }
    }
    return s.toString();
  }

  /**
   * Decodes the script's output into results, one per fact.
   *
   * @throws IllegalArgumentException when the output is truncated or not from this script
   */
  public Map<Fact, FactResult> decode(byte[] output) {
    Map<Fact, FactResult> batch = new java.util.HashMap<>();
    int pos = decodeBatch(output, batch);
    Map<Fact, FactResult> results = new LinkedHashMap<>();
    for (int i = 0; i < facts.size(); i++) {
      if (batch.containsKey(facts.get(i))) {
        results.put(facts.get(i), batch.get(facts.get(i)));
        continue;
      }
      byte[] begin = (delimiter + " " + i + " BEGIN\n").getBytes(StandardCharsets.US_ASCII);
      int at = Bytes.indexOf(output, begin, pos);
      if (at < 0) {
        throw new IllegalArgumentException(
            "fact output truncated: no start of fact " + i + " of " + facts.size() + " (" + facts.get(i) + ")");
      }
      int bodyStart = at + begin.length;
      byte[] end = ("\n" + delimiter + " " + i + " END ").getBytes(StandardCharsets.US_ASCII);
      int endAt = Bytes.indexOf(output, end, bodyStart);
      if (endAt < 0) {
        throw new IllegalArgumentException("fact output truncated inside fact " + i + " (" + facts.get(i) + ")");
      }
      int statusStart = endAt + end.length;
      int statusEnd = Bytes.indexOf(output, new byte[] {'\n'}, statusStart);
      if (statusEnd < 0) {
        throw new IllegalArgumentException("fact output truncated in the status of fact " + i);
      }
      byte[] body = java.util.Arrays.copyOfRange(output, bodyStart, endAt);
      String status = new String(output, statusStart, statusEnd - statusStart, StandardCharsets.US_ASCII);
      results.put(facts.get(i), facts.get(i) instanceof Fact.Files
          ? new FactResult.Output(0, FileListing.renderBytes(files(i, body)))
          : result(facts.get(i), status, body));
      pos = statusEnd + 1;
    }
    return results;
  }

  /**
   * A file changed between the size the batch read and its bytes: the output cannot be split
   * exactly, and the facts must be read again.
   */
  public static final class Raced extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Raced(String message) {
      super(message);
    }
  }

  /** Decodes the batch of files at the start of the output, if any; returns where the rest starts. */
  private int decodeBatch(byte[] output, Map<Fact, FactResult> into) {
    byte[] begin = (delimiter + " B BEGIN").getBytes(StandardCharsets.US_ASCII);
    int start = batched() ? Bytes.indexOf(output, begin, 0) : -1;
    if (start < 0) {
      return 0;
    }
    int lineEnd = Bytes.indexOf(output, new byte[] {'\n'}, start + begin.length);
    byte[] end = ("\n" + delimiter + " B END ").getBytes(StandardCharsets.US_ASCII);
    int endAt = lineEnd < 0 ? -1 : Bytes.indexOf(output, end, lineEnd + 1);
    int statusEnd = endAt < 0 ? -1 : Bytes.indexOf(output, new byte[] {'\n'}, endAt + end.length);
    if (statusEnd < 0) {
      throw new IllegalArgumentException("fact output truncated inside the batch of files");
    }
    String[] sizes = new String(output, start + begin.length, lineEnd - start - begin.length, StandardCharsets.US_ASCII)
        .strip().split(" ");
    String status = new String(output, endAt + end.length, statusEnd - endAt - end.length, StandardCharsets.US_ASCII);
    int at = lineEnd + 1;
    for (int k = 0; k + 1 < sizes.length; k += 2) {
      int i = Integer.parseInt(sizes[k]);
      long size = Long.parseLong(sizes[k + 1]);
      if (i < 0 || i >= facts.size() || !inBatch(facts.get(i)) || at + size > endAt) {
        throw new Raced("a file grew while the facts were read (" + facts.get(Math.min(Math.max(i, 0), facts.size() - 1)) + ")");
      }
      into.put(facts.get(i), new FactResult.Content(java.util.Arrays.copyOfRange(output, at, at + (int) size)));
      at += (int) size;
    }
    if (at != endAt || !status.equals("0")) {
      throw new Raced("a file changed while the facts were read (" + (at != endAt ? "its size" : "cat exit " + status) + ")");
    }
    return statusEnd + 1;
  }

  /** The files of a {@link Fact.Files} fact's output, framed as {@link #script()} prints them. */
  private Map<String, String> files(int i, byte[] body) {
    Map<String, String> files = new LinkedHashMap<>();
    byte[] header = (delimiter + " " + i + " FILE ").getBytes(StandardCharsets.US_ASCII);
    byte[] end = ("\n" + delimiter + " " + i + " EOF\n").getBytes(StandardCharsets.US_ASCII);
    int pos = 0;
    while (pos < body.length) {
      if (Bytes.indexOf(body, header, pos) != pos) {
        throw new IllegalArgumentException("fact output of " + facts.get(i) + " is not a file listing");
      }
      int nul = Bytes.indexOf(body, new byte[] {0}, pos + header.length);
      int endAt = nul < 0 ? -1 : Bytes.indexOf(body, end, nul + 1);
      if (endAt < 0) {
        throw new IllegalArgumentException("fact output truncated inside a file of " + facts.get(i));
      }
      String path = new String(body, pos + header.length, nul - pos - header.length, StandardCharsets.UTF_8);
      files.put(path, new String(body, nul + 1, endAt - nul - 1, StandardCharsets.UTF_8));
      pos = endAt + end.length;
    }
    return files;
  }

  private static FactResult result(Fact fact, String status, byte[] body) {
    if (status.equals("ok")) {
      return new FactResult.Content(body);
    }
    if (status.equals("missing")) {
      return new FactResult.Missing();
    }
    if (status.equals("unreadable")) {
      return new FactResult.Unreadable();
    }
    if (status.startsWith("exit ")) {
      return new FactResult.Output(Integer.parseInt(status.substring(5).trim()), body);
    }
    throw new IllegalArgumentException("unknown fact status '" + status + "' for " + fact);
  }
}
