package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad connection variable is an input error at the line that sets it, before any host is contacted. */
class ConnectionVariablesTest {
  @TempDir Path dir;

  private Cli plan(String inventory) throws Exception {
    Path hosts = Files.writeString(dir.resolve("hosts.yml"), inventory);
    Path playbook = Files.writeString(dir.resolve("play.yml"), """
        - hosts: all
          resources:
            - file: {path: /tmp/plumb-never-written, content: "x\\n"}
        """);
    return Cli.run("plan", "--no-color", "-i", hosts.toString(), playbook.toString());
  }

  @Test
  void badPort_pointsAtThePortsLine_notAtAnotherVariableWhoseNameIsInTheMessage() throws Exception {
    // "port of host gpu01 must be a number" contains "host", the short name of ansible_host, set first.
    Cli plan = plan("""
        all:
          hosts:
            gpu01:
              host: 10.0.0.1
              port: http
        """);
    assertThat(plan.exit()).as(plan.toString()).isEqualTo(1);
    assertThat(plan.err()).as(plan.toString())
        .contains("hosts.yml:5:13: error: port of host gpu01 must be a number, not 'http' (host gpu01)")
        .contains("no host was contacted");
  }

  @Test
  void badBecome_pointsAtTheBecomeLine() throws Exception {
    Cli plan = plan("""
        all:
          hosts:
            gpu01: {ansible_host: 10.0.0.1, ansible_become: maybe}
        """);
    assertThat(plan.exit()).as(plan.toString()).isEqualTo(1);
    assertThat(plan.err()).as(plan.toString()).contains("hosts.yml:3:53: error: ansible_become of host gpu01 must be true or false");
  }
}
