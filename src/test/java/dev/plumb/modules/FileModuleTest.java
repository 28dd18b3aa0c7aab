package dev.plumb.modules;

import static dev.plumb.modules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileModuleTest {
  final FileModule file = new FileModule();
  static final String P = "/etc/modprobe.d/blacklist-nouveau.conf";
  static final String STAT = "stat -L -c '%a %U %G' -- /etc/modprobe.d/blacklist-nouveau.conf";
  static final String LINK = FileModule.linkScript(P);

  /** Facts from pairs, plus "not a symbolic link" unless the pairs say otherwise. */
  static dev.plumb.facts.FactSet facts(Object... pairs) {
    List<Object> all = new java.util.ArrayList<>(List.of(pairs));
    if (!all.contains(Fact.command(LINK))) {
      all.add(Fact.command(LINK));
      all.add(out(0, ""));
    }
    return Fixtures.facts(all.toArray());
  }

  @Test
  void facts_fileOnly_plusStatWhenAttributesGiven() {
    assertThat(file.facts(params(file, "path", P))).containsExactly(Fact.file(P));
    assertThat(file.facts(params(file, "path", P, "content", "x"))).containsExactly(Fact.file(P), Fact.command(LINK));
    assertThat(file.facts(params(file, "path", P, "mode", "0644")))
        .containsExactly(Fact.file(P), Fact.command(LINK), Fact.command(STAT));
    assertThat(FileModule.statScript("/tmp/a b")).isEqualTo("stat -L -c '%a %U %G' -- '/tmp/a b'");
    assertThat(file.keyParam()).isEqualTo("path");
    assertThat(file.writes(params(file, "path", P))).containsExactly(P);
  }

  @Test
  void diff_missing_createsWithGuardedWrite() {
    Change c = file.diff(params(file, "path", P, "lines", List.of("blacklist nouveau", "options nouveau modeset=0")),
        facts(Fact.file(P), missing()));
    String text = "blacklist nouveau\noptions nouveau modeset=0\n";
    assertThat(c.action()).isEqualTo(Action.CREATE);
    assertThat(c.label()).isEqualTo(Label.OBSERVED);
    assertThat(c.before()).isEqualTo("absent");
    assertThat(c.after()).isEqualTo("2 lines, 44 bytes");
    assertThat(c.diff()).isEqualTo("--- /dev/null\n+++ " + P + "\n@@ -0,0 +1,2 @@\n+blacklist nouveau\n+options nouveau modeset=0\n");
    assertThat(c.commands()).containsExactly(Command.writeFile(P, text, null, null));
    assertThat(c.writes()).containsExactly(java.util.Map.entry(P, FactResult.content(text)));
  }

  @Test
  void diff_differentContent_updatesWithSha() {
    Change c = file.diff(params(file, "path", P, "content", "a\nB\n"), facts(Fact.file(P), content("a\nb\n")));
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(c.diff()).isEqualTo("--- " + P + "\n+++ " + P + "\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n");
    assertThat(c.commands()).containsExactly(Command.writeFile(P, "a\nB\n", sha("a\nb\n"), null));
    assertThat(c.writes().get(P)).isEqualTo(FactResult.content("a\nB\n"));
  }

  @Test
  void diff_sameContent_noneWithoutCommands() {
    Change c = file.diff(params(file, "path", P, "content", "a\n"), facts(Fact.file(P), content("a\n")));
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.commands()).isEmpty();
    assertThat(c.writes()).isEmpty();
  }

  @Test
  void diff_modeAndOwner_converged_none() {
    Change c = file.diff(params(file, "path", P, "content", "a\n", "mode", "0644", "owner", "root", "group", "root"),
        facts(Fact.file(P), content("a\n"), Fact.command(STAT), out(0, "644 root root\n")));
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.commands()).isEmpty();
  }

  @Test
  void diff_modeAndOwnerDiffer_chmodChownArgv() {
    Change c = file.diff(params(file, "path", P, "content", "a\n", "mode", "0600", "owner", "nova"),
        facts(Fact.file(P), content("a\n"), Fact.command(STAT), out(0, "644 root root\n")));
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(c.before()).isEqualTo("mode 644, owner root:root");
    assertThat(c.after()).isEqualTo("mode 0600, owner nova:root");
    assertThat(c.diff()).isEmpty();
    assertThat(c.commands()).containsExactly(Command.of("chmod", "--", "0600", P), Command.of("chown", "--", "nova", P));
    assertThat(c.writes()).isEmpty();
  }

  @Test
  void diff_contentAndModeDiffer_writeCarriesMode_noChmod() {
    Change c = file.diff(params(file, "path", P, "content", "b\n", "mode", "0600", "group", "kvm"),
        facts(Fact.file(P), content("a\n"), Fact.command(STAT), out(0, "644 root root\n")));
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(c.commands()).containsExactly(
        Command.writeFile(P, "b\n", sha("a\n"), "0600"), Command.of("chown", "--", ":kvm", P));
  }

  @Test
  void diff_missingWithOwner_createThenChown() {
    Change c = file.diff(params(file, "path", P, "content", "", "owner", "nova", "group", "nova"),
        facts(Fact.file(P), missing(), Fact.command(STAT), out(1, "")));
    assertThat(c.action()).isEqualTo(Action.CREATE);
    assertThat(c.commands()).containsExactly(
        Command.writeFile(P, "", null, null), Command.of("chown", "--", "nova:nova", P));
  }

  @Test
  void diff_presentWithoutContent_keepsExistingContent() {
    assertThat(file.diff(params(file, "path", P), facts(Fact.file(P), content("x"))).action()).isEqualTo(Action.NONE);
    Change c = file.diff(params(file, "path", P), facts(Fact.file(P), missing()));
    assertThat(c.action()).isEqualTo(Action.CREATE);
    assertThat(c.commands()).containsExactly(Command.writeFile(P, "", null, null));
  }

  @Test
  void diff_absent_deletesGuarded() {
    Change c = file.diff(params(file, "path", P, "state", "absent"), facts(Fact.file(P), content("a\n")));
    assertThat(c.action()).isEqualTo(Action.DELETE);
    assertThat(c.after()).isEqualTo("absent");
    assertThat(c.diff()).isEqualTo("--- " + P + "\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n");
    assertThat(c.commands()).containsExactly(Command.deleteFile(P, sha("a\n")));
    assertThat(c.writes().get(P)).isEqualTo(new FactResult.Missing());
    Change gone = file.diff(params(file, "path", P, "state", "absent"), facts(Fact.file(P), missing()));
    assertThat(gone.action()).isEqualTo(Action.NONE);
    assertThat(gone.commands()).isEmpty();
  }

  @Test
  void diff_unreadable_blocker() {
    Change c = file.diff(params(file, "path", P, "content", "a"), facts(Fact.file(P), new FactResult.Unreadable()));
    assertThat(c.blockers()).hasSize(1);
    assertThat(c.blockers().get(0)).contains(P + " exists but cannot be read");
    assertThat(c.commands()).isEmpty();
  }

  @Test
  void validate_badCombinations() {
    assertThat(problems(file, params(file, "path", "etc/x"))).containsExactly("path 'etc/x' is not absolute");
    assertThat(problems(file, params(file, "path", P, "content", "a", "lines", List.of("a"))))
        .containsExactly("content and lines are both given");
    assertThat(problems(file, params(file, "path", P, "mode", "644x"))).containsExactly("mode '644x' is not an octal mode");
    assertThat(problems(file, params(file, "path", P, "state", "absent", "content", "a")))
        .containsExactly("content has no meaning with state absent");
    // A state outside the declared set is the loader's to report (LoaderErrorsTest), not said twice.
    assertThat(problems(file, params(file, "path", P, "state", "gone"))).isEmpty();
    assertThat(file.params()).filteredOn(p -> p.name().equals("state")).singleElement()
        .satisfies(p -> assertThat(p.values()).containsExactly("present", "absent"));
    assertThat(problems(file, params(file, "path", P, "mode", "0644", "content", ""))).isEmpty();
  }

  @Test
  void facts_aLinkCheckWheneverTheFileItselfIsDeclared() {
    assertThat(file.facts(params(file, "path", P, "content", "x"))).contains(Fact.command(LINK));
    assertThat(file.facts(params(file, "path", P, "owner", "root"))).contains(Fact.command(LINK));
    assertThat(file.facts(params(file, "path", P, "state", "absent"))).contains(Fact.command(LINK));
    assertThat(file.facts(params(file, "path", P))).doesNotContain(Fact.command(LINK));
    assertThat(FileModule.linkScript("/tmp/a b"))
        .isEqualTo("if [ -L '/tmp/a b' ]; then readlink -- '/tmp/a b'; readlink -f -- '/tmp/a b' || echo; fi; true");
  }

  @Test
  void diff_aLinkWithContent_withoutFollow_isABlockerNamingIt_andShowsNothingOfItsTarget() {
    Change c = file.diff(params(file, "path", P, "content", "blacklist nouveau\n"),
        facts(Fact.file(P), content("root:$6$secret-hash:19000:0:99999:7:::\n"),
            Fact.command(LINK), out(0, "/etc/shadow\n/etc/shadow\n")));
    assertThat(c.blockers()).containsExactly(P + " is a symbolic link to /etc/shadow; plumb does not change a file"
        + " through a link: declare follow: true to manage the file it points to, or remove the link");
    assertThat(c.commands()).isEmpty();
    assertThat(c.writes()).isEmpty();
    assertThat(c.diff() + c.before() + c.after() + c.notes()).doesNotContain("secret-hash", "root:");
  }

  @Test
  void diff_aLinkWithAModeOnly_withoutFollow_isABlocker_noChmodThroughIt() {
    Change c = file.diff(params(file, "path", P, "mode", "0666", "owner", "nobody"),
        facts(Fact.file(P), content("x\n"), Fact.command(LINK), out(0, "../x\n/etc/x\n"),
            Fact.command(STAT), out(0, "600 root root\n")));
    assertThat(c.blockers()).singleElement().asString().contains(P + " is a symbolic link to ../x", "follow: true");
    assertThat(c.commands()).isEmpty();
  }

  @Test
  void diff_aLinkWithFollow_writesTheFileItPointsTo_withItsOwnMode_andLeavesTheLink() {
    Change c = file.diff(params(file, "path", P, "content", "new\n", "follow", true),
        facts(Fact.file(P), content("old\n"), Fact.command(LINK), out(0, "real.conf\n/etc/modprobe.d/real.conf\n")));
    assertThat(c.blockers()).isEmpty();
    assertThat(c.commands()).containsExactly(Command.writeFile("/etc/modprobe.d/real.conf", "new\n", sha("old\n"), null));
    assertThat(c.diff()).contains("+++ /etc/modprobe.d/real.conf", "-old", "+new");

    Change mode = file.diff(params(file, "path", P, "content", "old\n", "mode", "0640", "follow", true),
        facts(Fact.file(P), content("old\n"), Fact.command(LINK), out(0, "real.conf\n/etc/modprobe.d/real.conf\n"),
            Fact.command(STAT), out(0, "600 root root\n")));
    assertThat(mode.commands()).containsExactly(Command.of("chmod", "--", "0640", "/etc/modprobe.d/real.conf"));
  }

  @Test
  void diff_aLinkThatLeadsNowhere_withFollow_isABlocker() {
    Change c = file.diff(params(file, "path", P, "content", "x\n", "follow", true),
        facts(Fact.file(P), missing(), Fact.command(LINK), out(0, "/nowhere/x\n\n")));
    assertThat(c.blockers()).singleElement().asString().contains("cannot be resolved");
  }

  @Test
  void diff_absentAtALink_removesTheLinkOnly_withoutShowingItsTarget() {
    Change c = file.diff(params(file, "path", P, "state", "absent"),
        facts(Fact.file(P), content("root:$6$secret-hash:19000:0:99999:7:::\n"),
            Fact.command(LINK), out(0, "/etc/shadow\n/etc/shadow\n")));
    assertThat(c.action()).isEqualTo(Action.DELETE);
    assertThat(c.commands()).containsExactly(Command.of("rm", "-f", "--", P));
    assertThat(c.diff() + c.before() + c.after() + c.notes()).doesNotContain("secret-hash");
    Change dangling = file.diff(params(file, "path", P, "state", "absent"),
        facts(Fact.file(P), missing(), Fact.command(LINK), out(0, "/nowhere\n\n")));
    assertThat(dangling.commands()).as("a link that leads nowhere is still there").containsExactly(Command.of("rm", "-f", "--", P));
  }
}
