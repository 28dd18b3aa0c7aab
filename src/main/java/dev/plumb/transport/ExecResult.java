package dev.plumb.transport;

import java.nio.charset.StandardCharsets;

/** What a command left: its exit status, stdout and stderr. */
public record ExecResult(int exitStatus, byte[] stdout, byte[] stderr) {

  public boolean ok() {
    return exitStatus == 0;
  }

  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  public String stderrText() {
    return new String(stderr, StandardCharsets.UTF_8);
  }
}
