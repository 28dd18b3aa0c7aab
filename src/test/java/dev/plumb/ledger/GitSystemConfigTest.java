package dev.plumb.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.Map;
import org.eclipse.jgit.util.FS;
import org.junit.jupiter.api.Test;

class GitSystemConfigTest {
  @Test
  void path_noVariable_isWhereDistributionsGitReadsIt() {
    assertThat(GitSystemConfig.path(Map.of())).isEqualTo(new File("/etc/gitconfig"));
    assertThat(GitSystemConfig.path(Map.of("GIT_CONFIG_SYSTEM", ""))).isEqualTo(new File("/etc/gitconfig"));
  }

  @Test
  void path_gitConfigSystemSet_isThatFile() {
    assertThat(GitSystemConfig.path(Map.of("GIT_CONFIG_SYSTEM", "/opt/git/etc/gitconfig")))
        .isEqualTo(new File("/opt/git/etc/gitconfig"));
  }

  @Test
  void tell_setsThePath_soJGitAsksNoGit() {
    // A file system object of its own: FS.DETECTED is process-wide, and the path git itself reports
    // here (/etc/gitconfig) would pass without the call.
    FS fs = FS.DETECTED.newInstance();
    GitSystemConfig.tell(fs, Map.of("GIT_CONFIG_SYSTEM", "/opt/git/etc/gitconfig"));
    assertThat(fs.getGitSystemConfig()).isEqualTo(new File("/opt/git/etc/gitconfig"));
  }

  @Test
  void useWithoutRunningGit_setsTheProcessWidePath() {
    GitSystemConfig.useWithoutRunningGit();
    assertThat(FS.DETECTED.getGitSystemConfig()).isEqualTo(GitSystemConfig.path(System.getenv()));
  }
}
