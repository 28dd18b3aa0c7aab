package dev.plumb.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValueTest {

  @Test
  void scalar_toString_hidesSensitiveText() {
    assertThat(new Value.Scalar("hunter22", Mark.nowhere("x"), true).toString()).doesNotContain("hunter22");
  }
}
