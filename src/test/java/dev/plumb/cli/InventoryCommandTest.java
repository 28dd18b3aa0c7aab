package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryCommandTest {
  @TempDir Path dir;

  Path inventory() throws IOException {
    Path inv = dir.resolve("hosts");
    Files.writeString(inv, "[web]\nwww[1:2]:2222 tier=1\n[all:children]\nweb\n");
    return inv;
  }

  @Test
  void list_printsAnsibleJson() throws IOException {
    Cli r = Cli.run("inventory", "-i", inventory().toString(), "--list");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("{\n    \"_meta\": {\n        \"hostvars\": {\n            \"www1\": {\n"
        + "                \"ansible_port\": 2222,\n                \"tier\": 1\n");
  }

  @Test
  void graphAndHost_printAnsibleForms() throws IOException {
    String inv = inventory().toString();
    assertThat(Cli.run("inventory", "-i", inv, "--graph").out())
        .isEqualTo("@all:\n  |--@ungrouped:\n  |--@web:\n  |  |--www1\n  |  |--www2\n");
    assertThat(Cli.run("inventory", "-i", inv, "--graph", "web").out()).isEqualTo("@web:\n  |--www1\n  |--www2\n");
    assertThat(Cli.run("inventory", "-i", inv, "--host", "www2").out())
        .isEqualTo("{\n    \"ansible_port\": 2222,\n    \"tier\": 1\n}\n");
  }

  @Test
  void unknownHostOrGroup_exit1WithAFix() throws IOException {
    String inv = inventory().toString();
    Cli host = Cli.run("inventory", "-i", inv, "--host", "nope");
    assertThat(host.exit()).isEqualTo(1);
    assertThat(host.err()).contains("no host named 'nope'", "fix:");
    assertThat(Cli.run("inventory", "-i", inv, "--graph", "nope").err()).contains("no group named 'nope'");
  }

  @Test
  void badInventory_exit1WithFileLineColumn() throws IOException {
    Path bad = dir.resolve("bad.ini");
    Files.writeString(bad, "[web]\nh1 novalue\n");
    Cli r = Cli.run("inventory", "-i", bad.toString(), "--list");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("bad.ini:2:4: error: expected key=value");
  }

  @Test
  void actions_areExclusiveAndRequired() throws IOException {
    String inv = inventory().toString();
    assertThat(Cli.run("inventory", "-i", inv).exit()).isEqualTo(1);
    assertThat(Cli.run("inventory", "-i", inv, "--list", "--graph").exit()).isEqualTo(1);
  }
}
