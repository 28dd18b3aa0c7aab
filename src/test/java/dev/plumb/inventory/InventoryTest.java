package dev.plumb.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.plumb.source.InputException;
import dev.plumb.source.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryTest {
  @TempDir Path dir;

  Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  @Test
  void yaml_groupsChildrenAndNullHosts() throws IOException {
    Inventory inv = Inventory.load(write("hosts.yml", """
        all:
          vars: {x: all}
          hosts:
            loner:
          children:
            gpu:
              vars: {x: gpu}
              children:
                a100:
                  hosts:
                    g1: {x: host}
                    g2:
            controllers:
              hosts: {c1: }
        """));
    assertThat(inv.hosts()).extracting(Host::name).containsExactly("loner", "g1", "g2", "c1");
    assertThat(inv.host("g1").orElseThrow().groups()).containsExactly("all", "gpu", "a100");
    assertThat(inv.host("loner").orElseThrow().groups()).containsExactly("all", "ungrouped");
    assertThat(inv.host("g1").orElseThrow().var("x")).contains("host");
    assertThat(inv.host("g2").orElseThrow().var("x")).contains("gpu");
    assertThat(inv.host("c1").orElseThrow().var("x")).contains("all");
    assertThat(inv.hostsOf("gpu")).containsExactly("g1", "g2");
  }

  @Test
  void ini_sectionsVarsChildren() throws IOException {
    Inventory inv = Inventory.load(write("hosts", """
        # comment
        loner ansible_host=10.0.0.9

        [a100]
        g1 ansible_host=10.0.0.1 note="two words"
        g2

        [gpu:children]
        a100

        [gpu:vars]
        driver = 550
        [all:vars]
        driver=535
        """));
    assertThat(inv.hosts()).extracting(Host::name).containsExactly("loner", "g1", "g2");
    Host g1 = inv.host("g1").orElseThrow();
    assertThat(g1.groups()).containsExactly("all", "gpu", "a100");
    assertThat(g1.var("note")).contains("two words");
    assertThat(g1.var("driver")).contains("550");
    assertThat(inv.host("loner").orElseThrow().var("driver")).contains("535");
    assertThat(g1.vars().get("ansible_host").mark().toString()).endsWith("hosts:5:4");
  }

  @Test
  void ini_errorsHaveMarks() throws IOException {
    Path p = write("hosts.ini", """
        [gpu:varz]
        x=1
        [gpu]
        g1 novalue
        """);
    InputException e = catchThrowableOfType(InputException.class, () -> Inventory.load(p));
    assertThat(e.getMessage()).contains("hosts.ini:1:1: error: unknown section kind ':varz'", "did you mean 'vars'?")
        .contains("hosts.ini:4:4: error: expected key=value after the host name, got 'novalue'");
  }

  @Test
  void yaml_unknownGroupKey_suggests() throws IOException {
    Path p = write("hosts.yml", """
        all:
          hots:
            a:
        """);
    InputException e = catchThrowableOfType(InputException.class, () -> Inventory.load(p));
    assertThat(e.getMessage()).contains("hosts.yml:2:3: error: unknown key 'hots' in group 'all'", "did you mean 'hosts'?");
  }

  /**
   * As ansible-core really does it (VARIABLE_PRECEDENCE), not as its docs say: all inline < groups
   * inline (parents first, siblings by name) < all's group_vars file < groups' files < host inline <
   * host files.
   */
  @Test
  void precedence_followsAnsible() throws IOException {
    write("inv/hosts.yml", """
        all:
          vars: {v1: all-inline, v2: all-inline, v3: all-inline, v4: all-inline, v5: all-inline, v6: all-inline}
          children:
            gpu:
              vars: {v2: gpu-inline, v3: gpu-inline, v4: gpu-inline}
              children:
                a100:
                  vars: {v3: a100-inline}
                  hosts:
                    g1: {v5: host-inline, v6: host-inline}
            zeta:
              vars: {v4: zeta-inline}
              hosts: {g1: }
            alpha:
              vars: {v4: alpha-inline}
              hosts: {g1: }
        """);
    write("inv/group_vars/all.yml", "v1: all-file\nv2: all-file\n");
    write("inv/group_vars/gpu/main.yml", "v7: gpu-file\n");
    write("inv/host_vars/g1.yaml", "v6: host-file\n");
    Host g1 = Inventory.load(dir.resolve("inv")).host("g1").orElseThrow();
    assertThat(g1.var("v1")).contains("all-file");
    assertThat(g1.var("v2")).contains("all-file");
    assertThat(g1.var("v3")).contains("a100-inline");
    // alpha, gpu, zeta are siblings at depth 1: alphabetical, so zeta wins.
    assertThat(g1.var("v4")).contains("zeta-inline");
    assertThat(g1.var("v5")).contains("host-inline");
    assertThat(g1.var("v6")).contains("host-file");
    assertThat(g1.var("v7")).contains("gpu-file");
    assertThat(g1.groups()).containsExactly("all", "alpha", "gpu", "zeta", "a100");
  }

  @Test
  void varsFilesNextToAFile_areRead_andOrphansWarn() throws IOException {
    Path inv = write("lab/hosts.ini", "[gpu]\ng1\n");
    write("lab/group_vars/gpu.yml", "driver: 550\n");
    write("lab/host_vars/g9.yml", "x: 1\n");
    Problems problems = new Problems();
    Inventory inventory = Inventory.read(inv, problems);
    assertThat(inventory.host("g1").orElseThrow().var("driver")).contains("550");
    assertThat(problems.hasErrors()).isFalse();
    assertThat(problems.all()).singleElement().satisfies(p ->
        assertThat(p.render()).contains("g9.yml: warning: no host named 'g9'", "did you mean 'g1'?"));
    assertThat(inventory.directory()).isEqualTo(dir.resolve("lab").toAbsolutePath());
  }

  @Test
  void relativeKeyPaths_resolveAgainstTheDefiningFile() throws IOException {
    Path inv = write("inventories/lab/hosts.yml", """
        all:
          vars: {ansible_ssh_private_key_file: ../../.lab/id_ed25519, other: ../x}
          hosts: {h: }
        """);
    write("inventories/lab/host_vars/h.yml", "known_hosts_file: known_hosts\n");
    Host h = Inventory.load(inv).host("h").orElseThrow();
    assertThat(h.var("ansible_ssh_private_key_file")).contains(dir.resolve(".lab/id_ed25519").toAbsolutePath().toString());
    assertThat(h.var("known_hosts_file"))
        .contains(dir.resolve("inventories/lab/host_vars/known_hosts").toAbsolutePath().toString());
    assertThat(h.var("other")).contains("../x");
  }

  @Test
  void hostRanges_expandInIniAndYaml() throws IOException {
    Inventory ini = Inventory.load(write("r.ini", "[gpu]\nlab[1:3] x=1\nn[01:10:3]\nz[a:b]\n"));
    assertThat(ini.hosts()).extracting(Host::name)
        .containsExactly("lab1", "lab2", "lab3", "n01", "n04", "n07", "n10", "za", "zb");
    assertThat(ini.host("lab2").orElseThrow().var("x")).contains("1");
    Inventory yaml = Inventory.load(write("r.yml", "gpu:\n  hosts:\n    g[0:1]-a: {y: 2}\n"));
    assertThat(yaml.hosts()).extracting(Host::name).containsExactly("g0-a", "g1-a");
    assertThat(yaml.host("g1-a").orElseThrow().var("y")).contains("2");
    // Ansible reads a range that ends before it starts as no hosts at all; plumb says so.
    Problems problems = new Problems();
    Inventory empty = Inventory.read(write("empty.ini", "[gpu]\nlab[3:1]\n"), problems);
    assertThat(empty.hosts()).isEmpty();
    assertThat(problems.all()).singleElement().satisfies(p ->
        assertThat(p.render()).contains("empty.ini:2:1: warning: the host range 'lab[3:1]' stands for no host"));
    Path bad = write("bad.ini", "[gpu]\nlab[1:]\n");
    InputException e = catchThrowableOfType(InputException.class, () -> Inventory.load(bad));
    assertThat(e.getMessage()).contains("bad.ini:2:1: error: cannot read the host range 'lab[1:]'");
  }

  @Test
  void implicit_isLocalhost() {
    Inventory inv = Inventory.implicit();
    assertThat(inv.hosts()).singleElement().satisfies(h -> {
      assertThat(h.name()).isEqualTo("localhost");
      assertThat(h.groups()).containsExactly("all");
      assertThat(h.var("ansible_connection")).contains("local");
    });
  }

  @Test
  void groupCycle_isAnError() throws IOException {
    Path p = write("hosts.ini", "[a:children]\nb\n[b:children]\na\n[a]\nh\n");
    InputException e = catchThrowableOfType(InputException.class, () -> Inventory.load(p));
    assertThat(e.getMessage()).contains("groups are children of each other");
  }

  @Test
  void contentSniffing_choosesIniOrYaml() {
    assertThat(InventoryFiles.isIni(Path.of("inventory"), "# x\n[gpu]\nh1\n")).isTrue();
    assertThat(InventoryFiles.isIni(Path.of("inventory"), "h1 ansible_host=1.2.3.4\n")).isTrue();
    assertThat(InventoryFiles.isIni(Path.of("inventory"), "---\nall:\n  hosts:\n")).isFalse();
    assertThat(InventoryFiles.isIni(Path.of("x.yml"), "[gpu]\n")).isFalse();
  }
}
