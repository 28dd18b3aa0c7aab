package dev.plumb.facts;

import dev.plumb.apply.FactReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.plumb.Gens;
import dev.plumb.transport.LocalConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class FactScriptTest {
  private static final String D = "PLUMB-0123456789abcdef0123456789abcdef";

  /** What the script prints for a fact whose output is {@code body} with status {@code status}. */
  private static void frame(ByteArrayOutputStream out, int i, byte[] body, String status) {
    out.writeBytes((D + " " + i + " BEGIN\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    out.writeBytes(("\n" + D + " " + i + " END " + status + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** Any bytes, text over the broad alphabet, and outputs that imitate the script's own framing. */
  static Gen<byte[]> awkwardOutput() {
    Gen<byte[]> tricky = Generate.pick(List.of(
        "", "\n", "no newline", "\0\0\0", D, D + " 0 END ok", "\n" + D.substring(0, 20) + " 0 END ",
        "PLUMB-", "line\n" + D + " 1 BEGIN\n", D + " 0 END exit 1\n", "\n" + D + " 0 BEGIN"))
        .map(x -> x.getBytes(StandardCharsets.UTF_8));
    Gen<byte[]> framedText = Gens.joined(Generate.pick(List.of(D, " 0 END ok", " 1 BEGIN", "\n")).mix(Gens.text(5), 50), 0, 12, "")
        .map(x -> x.getBytes(StandardCharsets.UTF_8));
    // The delimiter is a fresh random nonce per read, so an output never holds a whole end line.
    java.util.regex.Pattern endLine = java.util.regex.Pattern.compile("\n" + D + " \\d+ END");
    return Generate.oneOf(Gens.bytes(300), tricky, framedText)
        .assuming(b -> !endLine.matcher(new String(b, StandardCharsets.ISO_8859_1)).find())
        .describedAs(b -> Gens.show(new String(b, StandardCharsets.UTF_8)));
  }

  @Test
  void decode_anyOutput_givesItBackExactly() {
    qt().withExamples(500).forAll(lists().of(awkwardOutput()).ofSizeBetween(0, 5)).checkAssert(bodies -> {
      List<Fact> facts = new ArrayList<>();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = 0; i < bodies.size(); i++) {
        facts.add(i % 2 == 0 ? Fact.file("/f" + i) : Fact.command("echo " + i));
        frame(out, i, bodies.get(i), i % 2 == 0 ? "ok" : "exit " + i);
      }
      Map<Fact, FactResult> decoded = FactScript.of(facts, D).decode(out.toByteArray());
      for (int i = 0; i < bodies.size(); i++) {
        FactResult r = decoded.get(facts.get(i));
        byte[] got = r instanceof FactResult.Content c ? c.bytes() : ((FactResult.Output) r).stdout();
        assertThat(got).isEqualTo(bodies.get(i));
      }
    });
  }

  @Test
  void decode_truncatedOutput_isAnErrorNotAnEmptyFact() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frame(out, 0, "abc".getBytes(StandardCharsets.UTF_8), "ok");
    byte[] cut = java.util.Arrays.copyOf(out.toByteArray(), out.size() - 5);
    FactScript script = FactScript.of(List.of(Fact.file("/a")), D);
    assertThatThrownBy(() -> script.decode(cut)).hasMessageContaining("truncated");
  }

  @Test
  void of_duplicateFacts_areReadOnce() {
    FactScript script = FactScript.of(List.of(Fact.file("/a"), Fact.command("uname"), Fact.file("/a")), D);
    assertThat(script.facts()).containsExactly(Fact.file("/a"), Fact.command("uname"));
  }

  @Test
  void read_realShell_distinguishesMissingEmptyUnreadableAndCommands(@TempDir Path dir) throws Exception {
    Path empty = Files.createFile(dir.resolve("empty"));
    Path text = Files.writeString(dir.resolve("it's a file"), "no trailing newline");
    LocalConnection local = new LocalConnection("localhost");
    FactSet facts = FactReader.read(local, List.of(
        Fact.file(empty.toString()), Fact.file(text.toString()), Fact.file(dir.resolve("nope").toString()),
        Fact.file(dir.toString()), Fact.command("printf 'a\\nb'; exit 3"), Fact.command("cat; echo read-nothing")),
        Duration.ofSeconds(20));
    assertThat(facts.get(Fact.file(empty.toString()))).isEqualTo(new FactResult.Content(new byte[0]));
    assertThat(facts.text(text.toString())).contains("no trailing newline");
    assertThat(facts.get(Fact.file(dir.resolve("nope").toString()))).isInstanceOf(FactResult.Missing.class);
    assertThat(facts.get(Fact.file(dir.toString()))).isInstanceOf(FactResult.Unreadable.class);
    assertThat(facts.command("printf 'a\\nb'; exit 3")).isEqualTo(FactResult.output(3, "a\nb"));
    assertThat(facts.command("cat; echo read-nothing").text()).isEqualTo("read-nothing\n");
    assertThat(local.execCount()).as("one round trip").isEqualTo(1);
  }

  @Test
  void read_realShell_anyFileContentSurvives() {
    qt().withExamples(25).forAll(Gens.bytes(2000)).checkAssert(content -> inTempDir(dir -> {
      Path f = Files.write(dir.resolve("f"), content);
      FactSet facts = FactReader.read(new LocalConnection("localhost"), List.of(Fact.file(f.toString())), Duration.ofSeconds(20));
      assertThat(facts.file(f.toString()).orElseThrow().bytes()).isEqualTo(content);
    }));
  }

  /** What a property does with a temporary directory, removed after it. */
  interface InDir {
    void run(Path dir) throws Exception;
  }

  private static void inTempDir(InDir body) {
    try {
      Path dir = Files.createTempDirectory("plumb-facts");
      try {
        body.run(dir);
      } finally {
        try (var s = Files.walk(dir)) {
          s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void read_realShell_manyFilesInOneBatch_eachReadBackExactly() {
    // Three or more files go in one batch (stat + cat), split by their sizes: any content, the
    // empty file and the missing one included, comes back byte for byte, in one round trip.
    qt().withExamples(15).forAll(lists().of(awkwardOutput()).ofSizeBetween(3, 6)).checkAssert(contents -> inTempDir(dir -> {
      List<Fact> facts = new ArrayList<>();
      for (int i = 0; i < contents.size(); i++) {
        facts.add(Fact.file(Files.write(dir.resolve("f" + i), contents.get(i)).toString()));
      }
      facts.add(Fact.file(dir.resolve("missing").toString()));
      facts.add(Fact.command("echo between"));
      LocalConnection local = new LocalConnection("localhost");
      FactSet read = FactReader.read(local, facts, Duration.ofSeconds(20));
      for (int i = 0; i < contents.size(); i++) {
        assertThat(read.get(facts.get(i))).isEqualTo(new FactResult.Content(contents.get(i)));
      }
      assertThat(read.get(facts.get(contents.size()))).isInstanceOf(FactResult.Missing.class);
      assertThat(read.command("echo between").text()).isEqualTo("between\n");
      assertThat(local.execCount()).isEqualTo(1);
    }));
  }

  @Test
  void script_manyFiles_areReadByOneStatAndOneCat() {
    String script = FactScript.of(List.of(Fact.file("/a"), Fact.file("/b"), Fact.file("/c")), D).script();
    assertThat(script.split("stat -L", -1)).hasSize(2);
    assertThat(FactScript.of(List.of(Fact.file("/a"), Fact.file("/b")), D).script()).doesNotContain("stat");
  }

  @Test
  void decode_batchWhoseSizesDisagreeWithItsBytes_isRefusedAsRaced() {
    FactScript script = FactScript.of(List.of(Fact.file("/a"), Fact.file("/b"), Fact.file("/c")), D);
    String grown = D + " B BEGIN 0 3 1 2\nabcde+\n" + D + " B END 0\n";
    assertThatThrownBy(() -> script.decode(grown.getBytes(StandardCharsets.UTF_8))).isInstanceOf(FactScript.Raced.class);
    String failed = D + " B BEGIN 0 3 1 2\nabcde\n" + D + " B END 1\n";
    assertThatThrownBy(() -> script.decode(failed.getBytes(StandardCharsets.UTF_8))).isInstanceOf(FactScript.Raced.class);
  }

  @Test
  void read_aFileChangedWhileRead_isReadAgainOnce() throws Exception {
    // A host whose first answer has a batch that does not add up (a file written meanwhile).
    List<Fact> facts = List.of(Fact.file("/a"), Fact.file("/b"), Fact.file("/c"));
    int[] execs = {0};
    dev.plumb.transport.Connection host = new dev.plumb.transport.Connection() {
      @Override
      public String host() {
        return "h";
      }

      @Override
      public dev.plumb.transport.ExecResult exec(String command, byte[] stdin, Duration timeout) {
        String d = new String(stdin, StandardCharsets.UTF_8).lines().findFirst().orElseThrow().substring("plumb_D=".length());
        String extra = execs[0]++ == 0 ? "X" : "";
        String out = d + " B BEGIN 0 1 1 1 2 1\nabc" + extra + "\n" + d + " B END 0\n";
        return new dev.plumb.transport.ExecResult(0, out.getBytes(StandardCharsets.UTF_8), new byte[0]);
      }

      @Override
      public int execCount() {
        return execs[0];
      }

      @Override
      public void close() {}
    };
    FactSet read = FactReader.read(host, facts, Duration.ofSeconds(5));
    assertThat(read.text("/b")).contains("b");
    assertThat(execs[0]).isEqualTo(2);
  }

  /** The POSIX shells of the hosts there are here: dash (Ubuntu's sh) and bash as sh (EL's). */
  private static List<List<String>> shells() {
    List<List<String>> shells = new ArrayList<>();
    for (String dash : List.of("/bin/dash", "/usr/bin/dash")) {
      if (Files.isExecutable(Path.of(dash))) {
        shells.add(List.of(dash));
        break;
      }
    }
    if (Files.isExecutable(Path.of("/bin/bash"))) {
      shells.add(List.of("/bin/bash", "--posix"));
    }
    org.junit.jupiter.api.Assumptions.assumeFalse(shells.isEmpty(), "no dash or bash here");
    return shells;
  }

  /** stdout and exit status of {@code script} fed to {@code shell -s}, with PATH set to {@code path}. */
  private static dev.plumb.transport.ExecResult run(List<String> shell, String script, String path) throws Exception {
    List<String> argv = new ArrayList<>(shell);
    argv.add("-s");
    ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("PATH", path);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(script.getBytes(StandardCharsets.UTF_8));
    }
    byte[] out = p.getInputStream().readAllBytes();
    return new dev.plumb.transport.ExecResult(p.waitFor(), out, new byte[0]);
  }

  /**
   * What {@code cat} makes of a file: its bytes, missing, or unreadable. cat itself, not Java: a
   * numeric sysctl answers only a read at offset 0, and Files.readAllBytes, given size 0, reads it
   * one byte first.
   */
  private static FactResult asCatReadsIt(String path) throws Exception {
    if (!Files.exists(Path.of(path), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return new FactResult.Missing();
    }
    Process cat = new ProcessBuilder("cat", "--", path).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = cat.getInputStream().readAllBytes();
    return cat.waitFor() == 0 ? new FactResult.Content(out) : new FactResult.Unreadable();
  }

  @Test
  void kernelAttribute_sysfsTextSysctlsAndCmdlineOnly() {
    assertThat(List.of("/proc/cmdline", "/proc/sys/kernel/random/boot_id", "/proc/sys/net/ipv4/ip_forward",
        "/sys/class/net/lo/mtu", "/sys/bus/pci/devices/0000:42:00.0/vendor", "/sys/module/kvm/parameters/ignore_msrs"))
        .allMatch(FactScript::kernelAttribute);
    assertThat(List.of("/proc/cpuinfo", "/proc/modules", "/proc/driver/nvidia/version", "/etc/default/grub",
        "/sys/bus/pci/devices/0000:42:00.0/config", "/sys/bus/pci/devices/0000:42:00.0/rom",
        "/sys/bus/pci/devices/0000:42:00.0/resource0", "/sys/bus/pci/devices/0000:42:00.0/resource1_wc",
        "/sys/bus/pci/devices/0000:42:00.0/vpd", "/sys/firmware/acpi/tables/DSDT", "/sys/fs/cgroup/cgroup.procs",
        "/sys/kernel/debug/dri/0/name", "/sys/kernel/tracing/trace", "/sys/kernel/security/lsm", "/sys/../etc/shadow",
        "/proc/sys/../cpuinfo", "/sysfs/x", "/proc/cmdline2"))
        .noneMatch(FactScript::kernelAttribute);
  }

  @Test
  void script_sysfsAttributes_neverInTheBatch_procfsOnesOnlyWhenTheyHaveASize() {
    // sysfs says size 4096 whatever the content: a batch split by it would be refused. procfs says
    // size 0, which drops a file from the batch at run time, to be read alone by the shell.
    String script = FactScript.of(List.of(Fact.file("/a"), Fact.file("/b"), Fact.file("/sys/class/net/lo/mtu")), D).script();
    assertThat(script).doesNotContain("stat").contains("plumb_kr /sys/class/net/lo/mtu;");
    String batched = FactScript.of(List.of(Fact.file("/a"), Fact.file("/b"), Fact.file("/proc/cmdline"),
        Fact.file("/sys/class/net/lo/mtu")), D).script();
    assertThat(batched).contains("stat -L").contains("set -- \"$@\" /proc/cmdline").doesNotContain("set -- \"$@\" /sys/")
        .contains("plumb_kr /proc/cmdline;");
  }

  @Test
  void read_realProcfsFileAmongBatchedOnes_leftOutOfTheBatch_readByTheShell(@TempDir Path dir) throws Exception {
    // Three regular files and the real /proc/cmdline (size 0 here: read alone by the shell).
    List<Fact> facts = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      facts.add(Fact.file(Files.writeString(dir.resolve("f" + k), "file " + k + "\n").toString()));
    }
    facts.add(Fact.file("/proc/cmdline"));
    for (List<String> shell : shells()) {
      FactScript script = FactScript.of(facts, D);
      Map<Fact, FactResult> read = script.decode(run(shell, script.script(), "/usr/bin:/bin").stdout());
      assertThat(read.get(facts.get(2))).isEqualTo(new FactResult.Content("file 2\n".getBytes(StandardCharsets.UTF_8)));
      assertThat(read.get(facts.get(3))).as(shell.toString()).isEqualTo(asCatReadsIt("/proc/cmdline"));
    }
  }

  @Test
  void kernelRead_anyText_printedExactlyOrLeftToCat(@TempDir Path dir) throws Exception {
    // The shell function alone, on plain files: what it prints is the file's bytes, or it prints
    // nothing and says so (status 1) for cat to read the file: when nothing was read, and in lines
    // mode (sysctls) when the last line has no newline.
    List<String> cases = new ArrayList<>(List.of("", "\n", "\n\n", "x", "x\n", "a\\b\\\\c\\n\n", "  lead\ttab \t\n\n\nlast",
        "-n\n-e\n", "%s %d %%\n", "a b  c\n", "*\n$HOME `id` $(id)\n", "\r\n", "é 漢 😀\n", "tail  "));
    qt().withExamples(40).forAll(Gens.textNoNul(60)).checkAssert(cases::add);
    for (List<String> shell : shells()) {
      StringBuilder script = new StringBuilder(FactScript.KERNEL_READ);
      for (int k = 0; k < cases.size(); k++) {
        Files.writeString(dir.resolve("f" + k), cases.get(k));
        for (String mode : List.of("", " lines")) {
          script.append("printf '<%s>' ").append(k).append(mode.isEmpty() ? "w" : "l").append("; plumb_kr ")
              .append(dir.resolve("f" + k)).append(mode).append("; printf '</%s>' $?\n");
        }
      }
      String out = new String(run(shell, script.toString(), "/nonexistent").stdout(), StandardCharsets.UTF_8);
      StringBuilder expected = new StringBuilder();
      for (int k = 0; k < cases.size(); k++) {
        String c = cases.get(k);
        boolean read = !c.isEmpty();
        expected.append("<").append(k).append("w>").append(read ? c + "</0>" : "</1>");
        boolean whole = read && c.endsWith("\n");
        expected.append("<").append(k).append("l>").append(whole ? c + "</0>" : "</1>");
      }
      assertThat(out).as(shell.toString()).isEqualTo(expected.toString());
    }
  }

  @Test
  void read_realKernelAttributes_sameAsCat_andTheTextOnesWithoutAProcess() throws Exception {
    // This machine's own procfs and sysfs: numeric sysctls (which dash's byte reads cut to one
    // byte), a write-only sysctl, a sysfs attribute whose read fails (lo has no speed: EINVAL), a
    // write-only one, a directory, a missing one; each read as cat reads it.
    List<String> paths = new ArrayList<>(List.of("/proc/cmdline", "/proc/sys/kernel/random/boot_id",
        "/proc/sys/kernel/osrelease", "/proc/sys/kernel/pid_max", "/proc/sys/kernel/printk",
        "/proc/sys/vm/drop_caches", "/proc/sys/plumb-none", "/sys/plumb-none", "/sys/kernel",
        "/sys/class/net/lo/mtu", "/sys/class/net/lo/address", "/sys/class/net/lo/speed", "/sys/bus/pci/rescan"));
    paths.removeIf(p -> p.startsWith("/sys/class/") && !Files.exists(Path.of(p)));
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(Path.of("/proc/sys/kernel/pid_max")), "no procfs here");
    List<Fact> facts = paths.stream().map(p -> (Fact) Fact.file(p)).toList();
    for (List<String> shell : shells()) {
      FactScript script = FactScript.of(facts, D);
      Map<Fact, FactResult> read = script.decode(run(shell, script.script(), "/usr/bin:/bin").stdout());
      for (String p : paths) {
        assertThat(read.get(Fact.file(p))).as(shell + " " + p).isEqualTo(asCatReadsIt(p));
      }
      // With no command to be found, the text attributes still read: the shell read them itself.
      List<String> text = List.of("/proc/cmdline", "/proc/sys/kernel/random/boot_id", "/proc/sys/kernel/osrelease");
      FactScript alone = FactScript.of(text.stream().map(p -> (Fact) Fact.file(p)).toList(), D);
      Map<Fact, FactResult> noPath = alone.decode(run(shell, alone.script(), "/nonexistent").stdout());
      for (String p : text) {
        assertThat(noPath.get(Fact.file(p))).as(shell + " without PATH " + p).isEqualTo(asCatReadsIt(p));
      }
    }
  }

  @Test
  void of_sameScriptInlineOrNot_isOneFact_runInline() {
    assertThat(Fact.Command.inline("echo x")).isEqualTo(Fact.command("echo x")).hasSameHashCodeAs(Fact.command("echo x"));
    FactScript script = FactScript.of(List.of(Fact.command("echo x"), Fact.file("/a"), Fact.Command.inline("echo x")), D);
    assertThat(script.facts()).hasSize(2);
    assertThat(((Fact.Command) script.facts().get(0)).inline()).isTrue();
    assertThat(script.script()).contains("plumb_fact() {\necho x\n}").doesNotContain("(\necho x\n)");
  }

  @Test
  void read_inlineSnippet_runsInTheScriptsShell_returningItsStatus() throws Exception {
    // No subshell: what an inline snippet sets, the facts after it see (which is why snippets set
    // every variable they read); a subshell's assignments die with it.
    List<Fact> facts = List.of(Fact.command("y=sub; echo sub"), Fact.Command.inline("x=inline; printf %s \"$x\"; return 4"),
        Fact.command("echo \"${x-unset} ${y-unset}\""));
    for (List<String> shell : shells()) {
      FactScript script = FactScript.of(facts, D);
      Map<Fact, FactResult> read = script.decode(run(shell, script.script(), "/usr/bin:/bin").stdout());
      assertThat(read.get(facts.get(1))).as(shell.toString()).isEqualTo(FactResult.output(4, "inline"));
      assertThat(read.get(facts.get(2))).as(shell.toString()).isEqualTo(FactResult.output(0, "inline unset\n"));
    }
  }

  @Test
  void read_inlineSnippetsAssigningEveryShortName_cannotBreakTheFraming(@TempDir Path dir) throws Exception {
    // The script's own names are plumb_*: a snippet may set D, s, i, n, f, z, bd, bi, bs (the
    // names the script used before); the batch, the files after it and the statuses still decode.
    String clobber = "D=PLUMB-forged; s=ok; i=0; n=999; f=/; z='0 1'; bd=' 0 1 2 3 4 5 6 7'; bi=' 9'; bs=' 0 1'; "
        + "l=; c=; nl=; printf '%s' \"$D\"; return 7";
    List<Fact> facts = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      facts.add(Fact.file(Files.writeString(dir.resolve("f" + k), "file " + k + "\n").toString()));
    }
    facts.add(Fact.Command.inline(clobber));
    facts.add(Fact.file(Files.writeString(dir.resolve("after"), "after\n").toString()));
    facts.add(Fact.files(dir + "/f*"));
    facts.add(Fact.file("/proc/cmdline"));
    facts.add(Fact.file(dir.resolve("missing").toString()));
    for (List<String> shell : shells()) {
      // Twice in one shell, as a kept shell runs it.
      FactScript script = FactScript.of(facts, D);
      byte[] out = run(shell, "{\n" + script.script() + "\n} </dev/null\n{\n" + script.script() + "\n} </dev/null\n", "/usr/bin:/bin").stdout();
      Map<Fact, FactResult> read = script.decode(java.util.Arrays.copyOfRange(out, out.length / 2, out.length));
      for (int k = 0; k < 3; k++) {
        assertThat(read.get(facts.get(k))).as(shell + " f" + k).isEqualTo(new FactResult.Content(("file " + k + "\n").getBytes(StandardCharsets.UTF_8)));
      }
      assertThat(read.get(facts.get(3))).as(shell.toString()).isEqualTo(FactResult.output(7, "PLUMB-forged"));
      assertThat(read.get(facts.get(4))).isEqualTo(new FactResult.Content("after\n".getBytes(StandardCharsets.UTF_8)));
      assertThat(((FactResult.Output) read.get(facts.get(5))).text()).contains("file 2");
      assertThat(read.get(facts.get(6))).isEqualTo(asCatReadsIt("/proc/cmdline"));
      assertThat(read.get(facts.get(7))).isInstanceOf(FactResult.Missing.class);
    }
  }
}
