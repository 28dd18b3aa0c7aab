package dev.plumb.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.source.Value;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderTest {
  @TempDir Path dir;

  static final String INVENTORY = """
      all:
        vars: {site: lab, gpu_ids: "0000:0000"}
        children:
          hypervisors:
            vars: {gpu_ids: "10de:1b80"}
            hosts:
              hv1: {ansible_host: 127.0.1.2}
              hv2:
          controllers:
            hosts:
              ctl1:
      """;

  Fixture f() {
    return new Fixture(dir).inventory("inventory.yml", INVENTORY);
  }

  @Test
  void briefExample_loadsWithIdsNotifyAndRequires() {
    HostCatalog hv1 = f().write("play.yml", """
        - hosts: hypervisors
          vars: {gpu_ids: "10de:1b80,10de:10f0"}
          resources:
            - file: {path: /etc/modprobe.d/vfio.conf, content: "options vfio-pci ids={{ gpu_ids }}\\n"}
              notify: initramfs[rebuild]
            - line: {path: /etc/default/grub, regexp: '^GRUB_CMDLINE_LINUX=', line: 'GRUB_CMDLINE_LINUX="intel_iommu=on"'}
              name: grub-iommu
              requires: ['file[/etc/modprobe.d/vfio.conf]']
          handlers:
            - command: {argv: [update-initramfs, -u]}
              name: initramfs[rebuild]
        """).load().hosts().get(0);
    assertThat(hv1.host().name()).isEqualTo("hv1");
    List<Resource> rs = hv1.resources();
    assertThat(rs).extracting(Resource::id)
        .containsExactly("file[/etc/modprobe.d/vfio.conf]", "line[grub-iommu]", "command[initramfs[rebuild]]");
    assertThat(rs.get(0).params().string("content")).isEqualTo("options vfio-pci ids=10de:1b80,10de:10f0\n");
    assertThat(rs.get(0).notifies()).containsExactly("command[initramfs[rebuild]]");
    assertThat(rs.get(1).requires()).containsExactly("file[/etc/modprobe.d/vfio.conf]");
    assertThat(rs.get(1).name()).isEqualTo("grub-iommu");
    assertThat(rs.get(0).name()).isEqualTo("/etc/modprobe.d/vfio.conf");
    assertThat(rs).extracting(Resource::handler).containsExactly(false, false, true);
    assertThat(rs).extracting(Resource::order).containsExactly(0, 1, 2);
    assertThat(rs.get(0).mark().toString()).endsWith("play.yml:4:7");
  }

  @Test
  void playsMatchingOneHost_areConcatenated_eachWithItsOwnVars() {
    Catalog c = f().write("play.yml", """
        - hosts: all
          vars: {who: everyone}
          resources:
            - file: {path: /etc/motd, content: "hello {{ who }} at {{ site }}"}
        - hosts: hv1
          vars: {who: hv-only}
          resources:
            - file: {path: /etc/issue, content: "{{ who }} on {{ inventory_hostname }}"}
              requires: file[/etc/motd]
        """).load();
    assertThat(c.hosts()).extracting(h -> h.host().name()).containsExactly("hv1", "hv2", "ctl1");
    List<Resource> hv1 = c.hosts().get(0).resources();
    assertThat(hv1).extracting(r -> r.params().string("content"))
        .containsExactly("hello everyone at lab", "hv-only on hv1");
    assertThat(hv1).extracting(Resource::order).containsExactly(0, 1);
    assertThat(c.hosts().get(2).resources()).hasSize(1);
  }

  @Test
  void groupVarsOverAll_playVarsOverInventory_extraVarsOverAll() {
    Fixture fx = f().write("play.yml", """
        - hosts: all
          resources:
            - file: {path: /a, content: "{{ gpu_ids }}"}
        """);
    Catalog c = fx.load();
    assertThat(c.hosts()).extracting(h -> h.resources().get(0).params().string("content"))
        .containsExactly("10de:1b80", "10de:1b80", "0000:0000");
    fx.extra.add("gpu_ids=ffff:ffff");
    assertThat(fx.load().hosts()).extracting(h -> h.resources().get(0).params().string("content"))
        .containsOnly("ffff:ffff");
  }

  @Test
  void extraVars_listAndFile() {
    Fixture fx = f().write("play.yml", """
        - hosts: ctl1
          vars: {pkgs: [a]}
          resources:
            - packages: {names: "{{ pkgs }}"}
            - file: {path: "{{ where }}"}
        """).write("extra.yml", "where: /from/file\n");
    fx.extra.add("pkgs=[x, y]");
    fx.extra.add("@" + dir.resolve("extra.yml"));
    List<Resource> rs = fx.load().hosts().get(0).resources();
    assertThat(rs.get(0).params().strings("names")).containsExactly("x", "y");
    assertThat(rs.get(0).id()).isEqualTo("packages[x,y]");
    assertThat(rs.get(1).id()).isEqualTo("file[/from/file]");
  }

  @Test
  void wholeValueTemplate_keepsListsAndMaps_defaultsAndNestedLookups() {
    List<Resource> rs = f().write("play.yml", """
        - hosts: ctl1
          vars:
            argv: [echo, "{{ site }}"]
            env: {LANG: C}
            nested: {deep: {path: /etc/deep}}
            alias: "{{ nested.deep.path }}"
          resources:
            - command: {argv: "{{ argv }}", env: "{{ env }}"}
              name: say
            - command: {argv: "{{ missing | default([]) }}"}
              name: empty
            - file: {path: "{{ alias }}", content: "{{ nothing | default('n/a') }} {{ nothing | default(42) }}"}
            - file: {path: /x, content: "{{ nope | default(site) }}"}
            - command: {argv: ["{{ argv.0 }}"]}
              name: "{{ inventory_hostname }}-first"
        """).load().hosts().get(0).resources();
    assertThat(rs.get(0).params().value("argv").orElseThrow().toPlain()).isEqualTo(List.of("echo", "lab"));
    assertThat(rs.get(0).params().map("env").orElseThrow().toPlain()).isEqualTo(java.util.Map.of("LANG", "C"));
    assertThat(rs.get(0).params().value("argv").orElseThrow()).isInstanceOf(Value.Seq.class);
    assertThat(rs.get(1).params().items("argv")).isEmpty();
    assertThat(rs.get(2).id()).isEqualTo("file[/etc/deep]");
    assertThat(rs.get(2).params().string("content")).isEqualTo("n/a 42");
    assertThat(rs.get(3).params().string("content")).isEqualTo("lab");
    assertThat(rs.get(4).id()).isEqualTo("command[ctl1-first]");
    assertThat(rs.get(4).params().strings("argv")).containsExactly("echo");
  }

  @Test
  void groupNames_andRequiresByName_andTimeout() {
    List<Resource> ok = f().write("play.yml", """
        - hosts: hv1
          resources:
            - command: {argv: "{{ group_names }}"}
              name: groups
              timeout: 5m
            - file: {path: /b}
              requires: groups
              tags: [gpu]
        """).load().hosts().get(0).resources();
    assertThat(ok.get(0).params().strings("argv")).containsExactly("hypervisors");
    assertThat(ok.get(0).timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(ok.get(1).requires()).containsExactly("command[groups]");
    assertThat(ok.get(1).tags()).containsExactly("gpu");
  }

  @Test
  void tags_keepTaggedResourcesAndHandlers_dropRequiresToTheRest() {
    Fixture fx = f().write("play.yml", """
        - hosts: ctl1
          tags: ctl
          resources:
            - file: {path: /a}
            - file: {path: /b}
              tags: gpu
              requires: file[/a]
              notify: restart
            - file: {path: /c}
              tags: [always]
          handlers:
            - service: {name: nova}
              name: restart
        """);
    fx.tags = Set.of("gpu");
    List<Resource> rs = fx.load().hosts().get(0).resources();
    assertThat(rs).extracting(Resource::id).containsExactly("file[/b]", "file[/c]", "service[restart]");
    assertThat(rs.get(0).requires()).isEmpty();
    assertThat(rs.get(0).tags()).containsExactlyInAnyOrder("ctl", "gpu");
    assertThat(rs.get(0).notifies()).containsExactly("service[restart]");
  }

  @Test
  void limit_narrowsHosts() {
    Fixture fx = f().write("play.yml", "- hosts: all\n  resources: [{file: {path: /a}}]\n");
    fx.limit = "hypervisors:!hv2";
    assertThat(fx.load().hosts()).extracting(h -> h.host().name()).containsExactly("hv1");
  }

  @Test
  void noInventory_isLocalhost() {
    Catalog c = new Fixture(dir).write("play.yml", """
        - hosts: localhost
          resources:
            - file: {path: "/tmp/{{ inventory_hostname }}"}
        """).load();
    assertThat(c.hosts()).hasSize(1);
    assertThat(c.hosts().get(0).host().var("ansible_connection")).contains("local");
    assertThat(c.hosts().get(0).resources().get(0).id()).isEqualTo("file[/tmp/localhost]");
  }

  @Test
  void undefinedOnSomeHostsOnly_namesTheHosts() {
    String e = new Fixture(dir).inventory("hosts.ini", """
        a gpu=1
        b
        c
        """).write("play.yml", """
        - hosts: all
          resources:
            - file: {path: "/dev/nvidia{{ gpu }}"}
        """).errors();
    assertThat(e).contains("play.yml:3:20: error: undefined variable 'gpu' in \"/dev/nvidia{{ gpu }}\" (on hosts b, c)");
  }

  @Test
  void problemOnEveryHostOfItsPlay_namesNoHost() {
    String e = f().write("play.yml", """
        - hosts: all
          resources: []
        - hosts: hypervisors
          resources:
            - file: {path: /a, size: big}
        """).errors();
    assertThat(e).contains("expected a whole number, got a string ('big')\n").doesNotContain("(on host");
  }

  @Test
  void connectionVars_areSubstituted_andExtraVarsApply() {
    Fixture fx = new Fixture(dir).inventory("hosts.yml", """
        all:
          vars: {net: 127.0.1}
          hosts:
            lab1: {ansible_host: "{{ net }}.2", ansible_ssh_private_key_file: ../.lab/id_ed25519}
        """).write("play.yml", "- hosts: all\n  resources: []\n");
    fx.extra.add("ansible_user=root");
    var host = fx.load().hosts().get(0).host();
    assertThat(host.var("ansible_host")).contains("127.0.1.2");
    assertThat(host.var("ansible_user")).contains("root");
    assertThat(host.var("ansible_ssh_private_key_file"))
        .contains(dir.getParent().resolve(".lab/id_ed25519").toAbsolutePath().toString());
  }
}
