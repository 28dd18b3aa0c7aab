package dev.plumb.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.source.Problem;
import dev.plumb.source.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10: a host name is not a path; unsafe names are refused where they are written. */
class HostNameTest {
  @TempDir Path dir;

  private Problems read(String name, String text) throws IOException {
    Path p = Files.writeString(dir.resolve(name), text);
    Problems problems = new Problems();
    Inventory.read(p, problems);
    return problems;
  }

  @Test
  void yaml_unsafeNames_areErrorsWithTheirLine() throws IOException {
    Problems p = read("hosts.yml", """
        all:
          hosts:
            good-1.example.com:
            "../../etc/cron.d/x":
            "a/b":
            "-oProxyCommand=sh":
            "..":
            "tab\\there":
        """);
    assertThat(p.all()).filteredOn(Problem::isError).hasSize(5)
        .allSatisfy(e -> assertThat(e.message()).contains("is not allowed", "file name"));
    assertThat(p.all().get(0).mark().line()).isEqualTo(4);
    assertThat(p.all().get(4).message()).contains("tab\\x09here");
  }

  @Test
  void ini_unsafeName_isAnError() throws IOException {
    Problems p = read("hosts.ini", "[gpu]\nok1 ansible_host=10.0.0.1\nx/../y ansible_host=10.0.0.2\n");
    assertThat(p.all()).filteredOn(Problem::isError).singleElement()
        .satisfies(e -> assertThat(e.mark().line()).isEqualTo(3));
  }

  @Test
  void ordinaryNames_areAccepted() throws IOException {
    Problems p = read("hosts.yml", """
        all:
          hosts:
            lab01:
            gpu-node_3.dc1.example.com:
            10.0.0.5:
            "fe80::1":
            admin@bastion:
            node1 node2 node3:
        """);
    assertThat(p.all()).noneMatch(Problem::isError);
  }
}
