package dev.plumb.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code ssh-agent} in the foreground ({@code -D}) on a socket in a temp directory,
 * owned by the test: {@link #close()} kills exactly this process. Keys are added with the real
 * {@code ssh-add}, passphrases given through SSH_ASKPASS (never on a command line).
 */
public final class SshAgentProcess implements AutoCloseable {
  private final Process process;
  private final Path socket;
  private final Path dir;

  private SshAgentProcess(Process process, Path socket, Path dir) {
    this.process = process;
    this.socket = socket;
    this.dir = dir;
  }

  /** Starts ssh-agent on {@code dir}/agent.sock and waits until it listens. */
  public static SshAgentProcess start(Path dir) throws IOException, InterruptedException {
    Path socket = dir.resolve("agent.sock");
    Files.deleteIfExists(socket);
    Process p = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("agent.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(socket)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IOException("ssh-agent did not start: " + Files.readString(dir.resolve("agent.log")));
      }
      Thread.sleep(20);
    }
    return new SshAgentProcess(p, socket, dir);
  }

  public Path socket() {
    return socket;
  }

  public long pid() {
    return process.pid();
  }

  /** {@code ssh-add KEY}, the passphrase (null: none) answered by an askpass script. */
  public void add(Path key, String passphrase) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("SSH_AUTH_SOCK", socket.toString());
    if (passphrase != null) {
      Path secret = dir.resolve("askpass.secret");
      Files.writeString(secret, passphrase);
      Path askpass = dir.resolve("askpass.sh");
      Files.writeString(askpass, "#!/bin/sh\ncat '" + secret + "'\n");
      Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString("rwx------"));
      env.put("SSH_ASKPASS", askpass.toString());
      env.put("SSH_ASKPASS_REQUIRE", "force");
      env.put("DISPLAY", ":0");
    }
    Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("ssh-add " + key + " failed: " + out);
    }
  }

  /** ssh-keygen of an ed25519 key at {@code file} with that passphrase ("" for none) and comment. */
  public static void keygen(Path file, String type, String passphrase, String comment)
      throws IOException, InterruptedException {
    // The passphrase is a test value; real secrets never reach a command line.
    Process p = new ProcessBuilder(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", comment,
        "-f", file.toString())).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("ssh-keygen failed: " + out);
    }
  }

  /** Stops the agent (SIGTERM, then SIGKILL); its socket goes with it. */
  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(socket);
  }
}
