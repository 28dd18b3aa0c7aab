package dev.plumb.apply;

import dev.plumb.facts.FactResult;
import dev.plumb.transport.Connection;
import dev.plumb.transport.ExecResult;
import dev.plumb.transport.TransportException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A host played in memory, behind the {@link Connection} interface: its files, the output of
 * command facts, a boot_id. It answers plumb's fact script from that state, carries out plumb's
 * guarded write and delete helpers on its files, reboots on the reboot trigger, and answers other
 * commands from rules (exit 0 by default). It can drop the connection at a chosen exec, time a
 * command out, or refuse connections.
 */
final class ScriptedHost {
  static final String BOOT_ID = "/proc/sys/kernel/random/boot_id";

  final Map<String, byte[]> files = new LinkedHashMap<>();
  final Map<String, FactResult.Output> commandFacts = new LinkedHashMap<>();
  /** Every command line run, in order, with its stdin (the fact script is "/bin/sh -s"). */
  final List<String> ran = new ArrayList<>();
  final List<byte[]> stdins = new ArrayList<>();
  private final List<Map.Entry<Predicate<String>, Function<ScriptedHost, ExecResult>>> rules = new ArrayList<>();
  private int execs;
  private int dropAt = -1;
  private int timeoutAt = -1;
  private boolean refuse;
  private boolean dead;
  int reboots;
  /** What a reboot does to the host beyond a new boot_id (a broken reboot: set keepsBootId). */
  Consumer<ScriptedHost> onReboot = h -> {};
  boolean keepsBootId;

  ScriptedHost() {
    setBootId("boot-0");
    // Nobody took the host's lease since boot; hold() below takes it (generation 1 then 2, ...).
    commandFact(((dev.plumb.facts.Fact.Command) Lease.PROBE).script(), 0, "gen 0\n");
  }

  /** Times the lease was taken (hold), as the host's lease generation counts them. */
  int leases;

  ScriptedHost file(String path, String content) {
    files.put(path, content.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  String text(String path) {
    byte[] b = files.get(path);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  ScriptedHost commandFact(String script, int exit, String stdout) {
    commandFacts.put(script, FactResult.output(exit, stdout));
    return this;
  }

  /** Commands whose line contains {@code text} answer with {@code answer} (first rule wins). */
  ScriptedHost on(String text, Function<ScriptedHost, ExecResult> answer) {
    rules.add(Map.entry(line -> line.contains(text), answer));
    return this;
  }

  /** The n-th exec (1-based, fact reads included) loses the connection; later ones too. */
  ScriptedHost dropAtExec(int n) {
    dropAt = n;
    return this;
  }

  /** The n-th exec (1-based) runs past its timeout. */
  ScriptedHost timeoutAtExec(int n) {
    timeoutAt = n;
    return this;
  }

  ScriptedHost unreachable(boolean refuse) {
    this.refuse = refuse;
    return this;
  }

  void setBootId(String id) {
    file(BOOT_ID, id + "\n");
  }

  static ExecResult ok(String stdout) {
    return new ExecResult(0, stdout.getBytes(StandardCharsets.UTF_8), new byte[0]);
  }

  static ExecResult exit(int status, String stderr) {
    return new ExecResult(status, new byte[0], stderr.getBytes(StandardCharsets.UTF_8));
  }

  /** The command lines run, without fact reads and boot_id probes. */
  List<String> commands() {
    return ran.stream().filter(l -> !l.equals("/bin/sh -s") && !l.equals(Reboot.READ_BOOT_ID)).toList();
  }

  Connector connector() {
    return host -> connect();
  }

  Connection connect() throws TransportException {
    if (refuse) {
      throw new TransportException("cannot connect: connection refused", TransportException.Kind.UNREACHABLE);
    }
    if (dead) {
      // A host whose connection was dropped comes back for the next connection.
      dead = false;
    }
    return new Conn();
  }

  private final class Conn implements Connection {
    private boolean closed;

    @Override
    public String host() {
      return "scripted";
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
      synchronized (ScriptedHost.this) {
        if (closed || dead) {
          throw new TransportException("connection to scripted closed", TransportException.Kind.LOST);
        }
        execs++;
        ran.add(command);
        stdins.add(stdin);
        if (execs == dropAt) {
          dead = true;
          throw new TransportException("connection to scripted lost: broken pipe", TransportException.Kind.LOST);
        }
        if (execs == timeoutAt) {
          throw TransportException.timeout("command timed out after " + timeout.toSeconds() + " s on scripted", null);
        }
        return answer(command, stdin);
      }
    }

    /** The lease: always free here; not counted as an exec of this host (dropAtExec counts commands). */
    @Override
    public Held hold(String command, byte[] stdin) throws TransportException {
      synchronized (ScriptedHost.this) {
        if (closed || dead) {
          throw new TransportException("connection to scripted closed", TransportException.Kind.LOST);
        }
        leases++;
        commandFact(((dev.plumb.facts.Fact.Command) Lease.PROBE).script(), 0, "gen " + leases + "\n");
        java.util.Iterator<String> answer = List.of("HELD " + leases).iterator();
        return new Held() {
          @Override
          public java.util.Optional<String> readLine(Duration timeout) {
            return answer.hasNext() ? java.util.Optional.of(answer.next()) : java.util.Optional.empty();
          }

          @Override
          public void close() {}
        };
      }
    }

    @Override
    public int execCount() {
      return execs;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private ExecResult answer(String command, byte[] stdin) throws TransportException {
    if (command.equals("/bin/sh -s")) {
      return new ExecResult(0, facts(new String(stdin, StandardCharsets.UTF_8)), new byte[0]);
    }
    if (command.equals(Reboot.TRIGGER)) {
      reboots++;
      if (!keepsBootId) {
        setBootId("boot-" + reboots);
      }
      onReboot.accept(this);
      dead = true;
      throw new TransportException("connection to scripted lost: the host went down", TransportException.Kind.LOST);
    }
    if (command.equals(Reboot.READ_BOOT_ID)) {
      return ok(text(BOOT_ID));
    }
    for (var rule : rules) {
      if (rule.getKey().test(command)) {
        return rule.getValue().apply(this);
      }
    }
    if (command.contains("/var/lib/plumb/.reboot-attempt.")) {
      files.put("/var/lib/plumb/reboot-attempt", stdin.clone());
      return ok("");
    }
    if (command.equals("rm -f -- /var/lib/plumb/reboot-attempt")) {
      files.remove("/var/lib/plumb/reboot-attempt");
      return ok("");
    }
    List<String> argv = words(command);
    if (argv.size() >= 6 && argv.get(3).equals("plumb-write")) {
      return write(argv.get(4), argv.get(5), stdin);
    }
    if (argv.size() >= 6 && argv.get(3).equals("plumb-delete")) {
      return delete(argv.get(4), argv.get(5));
    }
    if (argv.size() >= 5 && argv.get(3).equals("plumb-due")) {
      for (int i = 5; i + 1 < argv.size(); i += 2) {
        file(argv.get(4) + "/" + argv.get(i), argv.get(i + 1) + "\n");
      }
      return ok("");
    }
    if (argv.size() >= 5 && argv.get(3).equals("plumb-done")) {
      files.remove(argv.get(4));
      return ok("");
    }
    return ok("");
  }

  private ExecResult write(String path, String want, byte[] content) {
    byte[] have = files.get(path);
    boolean matches = want.equals("absent") ? have == null : have != null && FactResult.sha256(have).equals(want);
    if (!matches) {
      return exit(17, "plumb: " + path + " changed since the plan was made; run plan again");
    }
    files.put(path, content.clone());
    return ok("");
  }

  private ExecResult delete(String path, String want) {
    byte[] have = files.get(path);
    if (have == null || !FactResult.sha256(have).equals(want)) {
      return exit(17, "plumb: " + path + " changed since the plan was made; run plan again");
    }
    files.remove(path);
    return ok("");
  }

  /** Answers plumb's fact script (see FactScript) from this host's state. */
  private byte[] facts(String script) {
    String[] lines = script.split("\n", -1);
    String delimiter = lines[0].substring("plumb_D=".length());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    for (int at = 0; at < lines.length; at++) {
      if (!lines[at].startsWith("printf '%s " + i + " BEGIN")) {
        continue;
      }
      out.writeBytes((delimiter + " " + i + " BEGIN\n").getBytes(StandardCharsets.UTF_8));
      String next = lines[at + 1];
      String status;
      if (next.startsWith("if [ -e ") || next.startsWith("if plumb_kr ")) {
        String quoted = next.substring(next.indexOf("if [ -e ") + "if [ -e ".length(), next.indexOf(" ] || [ -L "));
        byte[] content = files.get(words(quoted).get(0));
        status = content == null ? "missing" : "ok";
        if (content != null) {
          out.writeBytes(content);
        }
      } else if (next.startsWith("for plumb_f in ")) {
        dev.plumb.facts.Fact.Files glob = dev.plumb.facts.Fact.files(next.substring("for plumb_f in ".length(), next.indexOf("; do ")));
        for (Map.Entry<String, byte[]> f : new java.util.TreeMap<>(files).entrySet()) {
          if (glob.matches(f.getKey())) {
            out.writeBytes((delimiter + " " + i + " FILE " + f.getKey() + "\0").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(f.getValue());
            out.writeBytes(("\n" + delimiter + " " + i + " EOF\n").getBytes(StandardCharsets.UTF_8));
          }
        }
        status = "exit 0";
      } else {
        StringBuilder body = new StringBuilder();
        int j = at + 2;
        // A snippet's lines, up to the end of its subshell, or of its function when inline.
        for (; !lines[j].startsWith(") </dev/null 2>/dev/null; plumb_s=") && !lines[j].startsWith("}; plumb_fact </dev/null"); j++) {
          body.append(body.length() == 0 ? "" : "\n").append(lines[j]);
        }
        FactResult.Output o = commandFacts.getOrDefault(body.toString(), FactResult.output(127, ""));
        out.writeBytes(o.stdout());
        status = "exit " + o.exitStatus();
      }
      out.writeBytes(("\n" + delimiter + " " + i + " END " + status + "\n").getBytes(StandardCharsets.UTF_8));
      i++;
    }
    return out.toByteArray();
  }

  /** Splits a command line as /bin/sh would for the quoting {@code Shell.quote} produces. */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '\'') {
          quoted = false;
        } else {
          w.append(c);
        }
      } else if (c == '\'') {
        quoted = true;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        w.append(line.charAt(++i));
        inWord = true;
      } else if (c == ' ') {
        if (inWord) {
          words.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(w.toString());
    }
    return words;
  }

  @Override
  public String toString() {
    return "ScriptedHost" + Arrays.toString(ran.toArray());
  }
}
