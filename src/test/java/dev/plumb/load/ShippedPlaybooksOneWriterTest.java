package dev.plumb.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.source.InputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15: no shipped playbook has two writers of one file (they would flip it on every run);
 * seed-as-written.yml shows its load errors (the seed's typos) and none of that kind.
 */
class ShippedPlaybooksOneWriterTest {
  @ParameterizedTest
  @ValueSource(strings = {"gpu-hypervisor.yml", "gpu-node.yml", "controller.yml", "migrate-to-passthrough.yml", "seed-as-written.yml"})
  void noFileHasTwoWriters(String playbook) {
    LoadRequest request = new LoadRequest(Path.of("playbooks", playbook), Optional.empty(), List.of("openstack_cloud=lab"),
        Optional.empty(), Set.of(), dev.plumb.cli.Builtins.registry());
    InputException e = Assertions.catchThrowableOfType(InputException.class, () -> Loader.load(request, null));
    String errors = e == null ? "" : e.getMessage();
    assertThat(errors).doesNotContain("both write");
    if (playbook.equals("seed-as-written.yml")) {
      assertThat(errors).contains("unknown kernel parameter iommu_intel; did you mean intel_iommu=on?");
    } else {
      assertThat(errors).isEmpty();
    }
  }
}
