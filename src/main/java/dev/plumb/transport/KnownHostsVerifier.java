package dev.plumb.transport;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts.KnownHostEntry;

/**
 * Checks host keys against several known_hosts files, remembering where each entry came from so
 * that a refusal can name the file and line. Unknown keys are refused unless accepting new keys;
 * changed keys are always refused.
 *
 * <p>sshj only reports "not verified", so the reason is kept here and read back by the connection
 * after the handshake fails ({@link #failure()}).
 *
 * <p>One class over 250 lines because sshj asks one {@link HostKeyVerifier} both to verify a key
 * and to list known algorithms, and the reason for a refusal must outlive the failed handshake.
 */
final class KnownHostsVerifier implements HostKeyVerifier {

  private record Located(Path file, int line, KnownHostEntry entry) {}

  /** A known_hosts file as last parsed: reused while its content is the same. */
  private record Parsed(String content, List<Located> entries) {}

  // Parsing an entry decodes (and, for ed25519, validates) its key: ~0.3 ms each. Every connection
  // builds its own verifier, so without this cache a fleet of N hosts whose keys share one file
  // parsed N x N entries (at 500 hosts, half of plumb's CPU). The file is still read by every
  // verifier, so a change to it (a key accepted, a line edited) is seen exactly as before.
  private static final ConcurrentHashMap<Path, Parsed> PARSED = new ConcurrentHashMap<>();

  private final String hostName;
  private final List<Path> files;
  private final boolean acceptNew;
  private final List<Located> entries = new ArrayList<>();
  private volatile String failure;
  private volatile String accepted;

  KnownHostsVerifier(String hostName, List<Path> files, boolean acceptNew) {
    this.hostName = hostName;
    this.files = List.copyOf(files);
    this.acceptNew = acceptNew;
    OpenSSHKnownHosts.EntryFactory factory;
    try {
      factory = new OpenSSHKnownHosts(new StringReader("")).new EntryFactory();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path file : this.files) {
      load(factory, file);
    }
  }

  private void load(OpenSSHKnownHosts.EntryFactory factory, Path file) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read known_hosts file " + file, e);
    }
    // compute() parses once while concurrent verifiers of the same file wait for the result.
    Parsed parsed = PARSED.compute(file.toAbsolutePath().normalize(),
        (key, old) -> old != null && old.content().equals(content) ? old
            : new Parsed(content, parse(factory, file, content)));
    entries.addAll(parsed.entries());
  }

  private static List<Located> parse(OpenSSHKnownHosts.EntryFactory factory, Path file, String content) {
    List<Located> entries = new ArrayList<>();
    List<String> lines = content.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      try {
        KnownHostEntry entry = factory.parseEntry(lines.get(i));
        if (entry != null) {
          entries.add(new Located(file, i + 1, entry));
        }
      } catch (IOException | RuntimeException e) {
        // A line sshj cannot parse (unknown key type, garbage) cannot vouch for any host: skip it,
        // as OpenSSH does.
      }
    }
    return List.copyOf(entries);
  }

  // Entries are shared by the verifiers of concurrent connections (PARSED), and a hashed entry's
  // matcher keeps a MAC whose state is not thread-safe: one caller at a time per entry.
  private static boolean applies(Located located, String name) throws IOException {
    synchronized (located.entry()) {
      return located.entry().appliesTo(name);
    }
  }

  /** Why the last verification failed, or null. */
  String failure() {
    return failure;
  }

  /** A note about a key accepted and recorded by the last verification, or null. */
  String accepted() {
    return accepted;
  }

  static String knownHostsName(String host, int port) {
    String lower = host.toLowerCase(Locale.ROOT);
    return port == 22 ? lower : "[" + lower + "]:" + port;
  }

  @Override
  public boolean verify(String host, int port, PublicKey key) {
    KeyType type = KeyType.fromKey(key);
    String name = knownHostsName(host, port);
    List<Located> applicable = new ArrayList<>();
    for (Located located : entries) {
      try {
        if (applies(located, name)) {
          boolean matches;
          synchronized (located.entry()) {
            matches = located.entry().appliesTo(type, name) && located.entry().verify(key);
          }
          if (matches) {
            return true;
          }
          applicable.add(located);
        }
      } catch (IOException e) {
        // A hashed entry that cannot be checked cannot vouch for the host either.
      }
    }
    if (!applicable.isEmpty()) {
      failure = changedMessage(name, type, key, applicable);
      return false;
    }
    if (!acceptNew) {
      failure = "host key of " + hostName + " (" + name + ") is not known: " + type + " "
          + fingerprint(key) + " is in none of " + files
          + ". Check the fingerprint with the host's owner (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub),"
          + " then rerun with --accept-new-host-keys to record it";
      return false;
    }
    return record(name, type, key);
  }

  private String changedMessage(String name, KeyType type, PublicKey key, List<Located> known) {
    StringBuilder message = new StringBuilder("HOST KEY CHANGED for ").append(hostName)
        .append(" (").append(name).append("): the server presented ").append(type).append(' ')
        .append(fingerprint(key)).append(", but known_hosts has");
    for (Located located : known) {
      message.append(' ').append(located.entry().getType()).append(' ')
          .append(fingerprint(entryKey(located))).append(" at ")
          .append(located.file()).append(':').append(located.line()).append(';');
    }
    message.append(" refusing to connect (this may be a man-in-the-middle attack). If the host was"
        + " reinstalled, remove the old entry (ssh-keygen -R '").append(name).append("' -f <file>)"
        + " and reconnect with --accept-new-host-keys");
    return message.toString();
  }

  private static PublicKey entryKey(Located located) {
    // The entry's key is not exposed; re-parse the line's key field.
    String[] fields = located.entry().getLine().trim().split("\\s+");
    int keyField = fields[0].startsWith("@") ? 3 : 2;
    try {
      return new Buffer.PlainBuffer(Base64.getDecoder().decode(fields[keyField])).readPublicKey();
    } catch (RuntimeException | IOException e) {
      return null;
    }
  }

  private boolean record(String name, KeyType type, PublicKey key) {
    Path target = firstWritable();
    if (target == null) {
      failure = "host key of " + hostName + " (" + name + ") is not known (" + type + " "
          + fingerprint(key) + ") and none of the known_hosts files " + files
          + " is writable, so it cannot be accepted";
      return false;
    }
    String line = name + " " + type + " " + base64(key) + System.lineSeparator();
    try {
      if (target.getParent() != null) {
        Files.createDirectories(target.getParent());
      }
      boolean needsNewline = Files.isRegularFile(target) && Files.size(target) > 0 && !endsWithNewline(target);
      Files.writeString(target, (needsNewline ? System.lineSeparator() : "") + line,
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      failure = "cannot record the host key of " + hostName + " in " + target + ": " + e.getMessage();
      return false;
    }
    accepted = "accepted new host key of " + hostName + " (" + name + "): " + type + " "
        + fingerprint(key) + ", recorded in " + target;
    return true;
  }

  private static boolean endsWithNewline(Path file) throws IOException {
    byte[] content = Files.readAllBytes(file);
    return content.length == 0 || content[content.length - 1] == '\n';
  }

  private Path firstWritable() {
    for (Path file : files) {
      if (Files.exists(file) ? Files.isWritable(file) : creatable(file)) {
        return file;
      }
    }
    return null;
  }

  private static boolean creatable(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    while (dir != null && !Files.exists(dir)) {
      dir = dir.getParent();
    }
    return dir != null && Files.isDirectory(dir) && Files.isWritable(dir);
  }

  @Override
  public List<String> findExistingAlgorithms(String host, int port) {
    String name = knownHostsName(host, port);
    List<String> algorithms = new ArrayList<>();
    for (Located located : entries) {
      try {
        if (applies(located, name) && located.entry().getType() != KeyType.UNKNOWN) {
          algorithms.add(located.entry().getType().toString());
        }
      } catch (IOException e) {
        // skip, as in verify
      }
    }
    return algorithms;
  }

  static String base64(PublicKey key) {
    return Base64.getEncoder().encodeToString(new Buffer.PlainBuffer().putPublicKey(key).getCompactData());
  }

  /** OpenSSH's fingerprint form: {@code SHA256:} and the unpadded base64 of the key blob's hash. */
  static String fingerprint(PublicKey key) {
    if (key == null) {
      return "SHA256:?";
    }
    try {
      byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
