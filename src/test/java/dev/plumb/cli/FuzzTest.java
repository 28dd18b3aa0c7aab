package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated playbooks and inventories through lint and plan: byte edits, deep nesting, alias and
 * variable bombs, wrong types, binary, invalid UTF-8. Each run must exit 0, 1 or 2, print no stack
 * trace or internal error, and stay under a time and allocation bound. Seeded: a failure prints
 * its seed and case; {@code -Dplumb.fuzz.seed=N} replays it. Bounded to a few seconds in all.
 */
class FuzzTest {
  private static final long SEED = Long.getLong("plumb.fuzz.seed", System.nanoTime());
  private static final Duration CASE_TIME = Duration.ofSeconds(10);
  private static final long CASE_BYTES = 1L << 30;
  private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(4);
  private static final int MIN_CASES = 12;
  private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "fuzz");
    t.setDaemon(true);
    return t;
  });

  private record Duration(long seconds) {
    static Duration ofSeconds(long s) {
      return new Duration(s);
    }
  }

  @TempDir Path dir;

  @AfterAll
  static void stop() {
    RUNNER.shutdownNow();
  }

  private String localSeed() {
    return """
        - hosts: localhost
          vars:
            ids: "10de:1b80,10de:10f0"
            name: vfio
          resources:
            - file:
                path: %1$s/vfio.conf
                content: "options vfio-pci ids={{ ids }}\\n"
              name: "{{ name }}"
              notify: rebuild
            - line:
                path: %1$s/grub
                regexp: '^GRUB_CMDLINE_LINUX='
                line: 'GRUB_CMDLINE_LINUX="intel_iommu=on"'
              requires: ["file[vfio]"]
            - ini: {path: %1$s/nova.conf, section: pci, option: alias, value: x}
          handlers:
            - command: {argv: [/bin/true]}
              name: rebuild
        """.formatted(dir);
  }

  @Test
  void mutatedInputs_lintAndPlan_exit012_noStackTrace_bounded() throws Exception {
    List<byte[]> playbooks = new ArrayList<>();
    playbooks.add(localSeed().getBytes(StandardCharsets.UTF_8));
    for (String p : List.of("playbooks/gpu-hypervisor.yml", "playbooks/controller.yml", "playbooks/gpu-node.yml")) {
      if (Files.exists(Path.of(p))) {
        playbooks.add(Files.readAllBytes(Path.of(p)));
      }
    }
    List<byte[]> inventories = new ArrayList<>();
    for (String p : List.of("inventories/example.yml", "inventories/lab.yml")) {
      if (Files.exists(Path.of(p))) {
        inventories.add(Files.readAllBytes(Path.of(p)));
      }
    }
    Files.writeString(dir.resolve("grub"), "GRUB_CMDLINE_LINUX=\"\"\n");
    Random random = new Random(SEED);
    long start = System.nanoTime();
    int cases = 0;
    while (cases < MIN_CASES || System.nanoTime() - start < BUDGET_NANOS) {
      boolean inventoryCase = random.nextInt(4) == 0;
      List<byte[]> seeds = inventoryCase ? inventories : playbooks;
      byte[] seed = seeds.get(random.nextInt(seeds.size()));
      int kind = random.nextInt(9);
      byte[] mutant = Mutations.apply(kind, seed, random);
      Path file = Files.write(dir.resolve("case" + cases + ".yml"), mutant);
      String[] args = inventoryCase
          ? new String[] {"lint", "-i", file.toString(), "playbooks/gpu-hypervisor.yml"}
          : random.nextBoolean() ? new String[] {"lint", file.toString()}
          : new String[] {"plan", "--no-color", file.toString()};
      String label = "seed " + SEED + ", case " + cases + " (" + Mutations.NAMES[kind] + "), plumb "
          + String.join(" ", args);
      check(label, args, mutant);
      cases++;
      if (cases > 400) {
        break;
      }
    }
    assertThat(cases).isGreaterThanOrEqualTo(MIN_CASES);
  }

  private static void check(String label, String[] args, byte[] mutant) throws Exception {
    Cli[] result = new Cli[1];
    Future<Long> run = RUNNER.submit(() -> {
      com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long before = mx.getCurrentThreadAllocatedBytes();
      result[0] = Cli.run(args);
      return mx.getCurrentThreadAllocatedBytes() - before;
    });
    long allocated;
    try {
      allocated = run.get(CASE_TIME.seconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      run.cancel(true);
      throw new AssertionError(label + ": did not finish within " + CASE_TIME.seconds() + " s; input:\n"
          + preview(mutant));
    }
    Cli r = result[0];
    assertThat(r.exit()).as(label + "\n" + r).isIn(0, 1, 2);
    assertThat(r.out() + r.err()).as(label + "\n" + r)
        .doesNotContain("\tat ", "Exception", "internal error", "please report");
    assertThat(allocated).as(label + ": bytes allocated").isLessThan(CASE_BYTES);
  }

  private static String preview(byte[] b) {
    String s = new String(b, 0, Math.min(b.length, 400), StandardCharsets.UTF_8);
    return s + (b.length > 400 ? "..." : "");
  }

  /** The mutations, each a pure function of (seed bytes, random). */
  static final class Mutations {
    static final String[] NAMES = {"byte edits", "deep nesting", "alias bomb", "variable bomb", "wrong types",
        "binary", "invalid UTF-8", "line shuffle", "truncation"};

    static byte[] apply(int kind, byte[] seed, Random r) {
      return switch (kind) {
        case 0 -> byteEdits(seed, r);
        case 1 -> insertLine(seed, r, "x: " + "[".repeat(200 + r.nextInt(3000)) + "\n");
        case 2 -> aliasBomb(seed, r);
        case 3 -> variableBomb(r);
        case 4 -> wrongTypes(seed, r);
        case 5 -> binary(r);
        case 6 -> insertBytes(seed, r, new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE});
        case 7 -> shuffleLines(seed, r);
        default -> java.util.Arrays.copyOf(seed, r.nextInt(seed.length + 1));
      };
    }

    static byte[] byteEdits(byte[] seed, Random r) {
      byte[] out = seed.clone();
      String alphabet = ":-[]{}&*!|>'\"#%@`,? \n\t{{}}";
      for (int i = 0, n = 1 + r.nextInt(8); i < n && out.length > 0; i++) {
        out[r.nextInt(out.length)] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
      }
      return out;
    }

    static byte[] insertLine(byte[] seed, Random r, String line) {
      String s = new String(seed, StandardCharsets.UTF_8);
      String[] lines = s.split("\n", -1);
      int at = r.nextInt(lines.length);
      String indent = lines[at].replaceAll("^( *).*", "$1");
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < lines.length; i++) {
        if (i == at) {
          b.append(indent).append(line);
        }
        b.append(lines[i]).append(i + 1 < lines.length ? "\n" : "");
      }
      return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] aliasBomb(byte[] seed, Random r) {
      StringBuilder b = new StringBuilder("- hosts: localhost\n  vars:\n    a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
      for (int i = 1; i < 10; i++) {
        b.append("    a").append(i).append(": &a").append(i).append(" [")
            .append(("*a" + (i - 1) + ", ").repeat(8)).append("*a").append(i - 1).append("]\n");
      }
      if (r.nextBoolean()) {
        b.append("    big: &big ").append("y".repeat(200_000)).append("\n    many: [")
            .append("*big, ".repeat(100)).append("*big]\n");
      }
      return b.append("  resources: []\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] variableBomb(Random r) {
      StringBuilder b = new StringBuilder("- hosts: localhost\n  vars:\n    v0: \"xxxxxxxxxx\"\n");
      int depth = 5 + r.nextInt(6);
      for (int i = 1; i < depth; i++) {
        b.append("    v").append(i).append(": \"").append(("{{ v" + (i - 1) + " }}").repeat(10)).append("\"\n");
      }
      b.append("  resources:\n    - file: {path: /tmp/plumb-fuzz-never, content: \"{{ v").append(depth - 1).append(" }}\"}\n");
      return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] wrongTypes(byte[] seed, Random r) {
      String s = new String(seed, StandardCharsets.UTF_8);
      String[] replacements = {": [a, b]", ": {k: v}", ": ~", ": 12345678901234567890123456789", ": -r", ": \"\"",
          ": !!binary AAAA", ": 1e400", ": .inf"};
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(": [^\\n]+").matcher(s);
      List<int[]> spans = new ArrayList<>();
      while (m.find()) {
        spans.add(new int[] {m.start(), m.end()});
      }
      if (spans.isEmpty()) {
        return seed;
      }
      int[] span = spans.get(r.nextInt(spans.size()));
      return (s.substring(0, span[0]) + replacements[r.nextInt(replacements.length)] + s.substring(span[1]))
          .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] binary(Random r) {
      byte[] out = new byte[r.nextInt(4096)];
      r.nextBytes(out);
      return out;
    }

    static byte[] insertBytes(byte[] seed, Random r, byte[] bytes) {
      int at = r.nextInt(seed.length + 1);
      byte[] out = new byte[seed.length + bytes.length];
      System.arraycopy(seed, 0, out, 0, at);
      System.arraycopy(bytes, 0, out, at, bytes.length);
      System.arraycopy(seed, at, out, at + bytes.length, seed.length - at);
      return out;
    }

    static byte[] shuffleLines(byte[] seed, Random r) {
      List<String> lines = new ArrayList<>(List.of(new String(seed, StandardCharsets.UTF_8).split("\n")));
      for (int i = 0; i < 3 && lines.size() > 1; i++) {
        int a = r.nextInt(lines.size());
        int b = r.nextInt(lines.size());
        String t = lines.get(a);
        lines.set(a, lines.get(b));
        lines.set(b, t);
      }
      return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }
  }
}
