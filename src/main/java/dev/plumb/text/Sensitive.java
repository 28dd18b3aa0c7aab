package dev.plumb.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values that must never be shown or stored: the one redaction step every renderer, saved
 * plan and the ledger go through.
 *
 * <p>Two kinds of secrets. Values known at load time (variables declared {@code sensitive:},
 * variables with credential-like names, vault-decrypted values: see {@code Value.Scalar#sensitive}
 * in {@code source}) are replaced wherever their text appears. Values only the host knows (a database password in
 * nova.conf) are found by the name of their option: a {@code key = value} line whose key is
 * credential-like ({@link #isCredentialName}) keeps its key and loses its value.
 */
public final class Sensitive {
  /** What is shown instead of a secret. */
  public static final String SHOWN = "(sensitive)";

  /** Shorter secrets are not searched for in text (they would blank out ordinary words). */
  public static final int MIN_LENGTH = 4;

  private static final Sensitive NONE = new Sensitive(List.of());

  // The last component of a key: nova's "connection", "transport_url", "*password*", "*_key"...
  private static final Pattern CREDENTIAL_NAME = Pattern.compile(
      "(?i)(.*(password|passwd|secret|token|credential).*"
          + "|(.*[_.-])?(pass|key|pw|pwd|psk)|(.*[_.-])?connection|(.*[_.-])?transport_url)");

  // key = value, key: value, KEY="value", export KEY=value; possibly after a diff's +/-/space
  // prefix. The value runs to the end of the line.
  private static final Pattern LINE = Pattern.compile(
      "^(\\s*[+\\- ]?\\s*(?:export\\s+)?)([A-Za-z_][A-Za-z0-9_.\\-]*)(\\s*[=:]\\s*)(\\S.*?)(\\s*)$");

  private final List<String> secrets;

  private Sensitive(List<String> secrets) {
    this.secrets = secrets;
  }

  public static Sensitive none() {
    return NONE;
  }

  /** These values (shorter than {@link #MIN_LENGTH} are kept out of text search). */
  public static Sensitive of(Collection<String> values) {
    Set<String> kept = new LinkedHashSet<>();
    for (String v : values) {
      if (v != null && v.length() >= MIN_LENGTH) {
        kept.add(v);
        // Also in the forms a renderer may print: JSON-escaped, one line.
        kept.add(jsonEscaped(v));
      }
    }
    List<String> sorted = new ArrayList<>(kept);
    // Longest first, so that a secret containing another is replaced whole.
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return sorted.isEmpty() ? NONE : new Sensitive(List.copyOf(sorted));
  }

  public Sensitive plus(Sensitive other) {
    if (other.secrets.isEmpty()) {
      return this;
    }
    List<String> all = new ArrayList<>(secrets);
    all.addAll(other.secrets);
    return of(all);
  }

  public boolean isEmpty() {
    return secrets.isEmpty();
  }

  /** {@code text} with every known secret replaced by {@link #SHOWN}. */
  public String redact(String text) {
    return replaceSecrets(text, v -> SHOWN);
  }

  /**
   * For what is stored (the ledger): known secrets and credential option values become digests,
   * so a stored value can be compared with a new one without being readable.
   */
  public String digestAll(String text) {
    return redactCredentialLines(replaceSecrets(text, Sensitive::digest), true);
  }

  /** The stored form of a secret value: its sha256, prefixed so that it reads as redacted. */
  public static String digest(String value) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "(sensitive sha256:" + HexFormat.of().formatHex(d) + ")";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Whether an option or variable of this name holds a credential (password, token, key, DB URL...). */
  public static boolean isCredentialName(String name) {
    String last = name.substring(name.lastIndexOf('/') + 1);
    // Ansible's connection type ("ssh", "local") is not a database URL.
    return !last.equals("ansible_connection") && CREDENTIAL_NAME.matcher(last).matches();
  }

  /** One line of a config file or diff, with a credential option's value replaced by {@link #SHOWN}. */
  public static String redactLine(String line) {
    return redactLine(line, false);
  }

  /** Every line of {@code text} through {@link #redactLine}. */
  public static String redactCredentialLines(String text) {
    return redactCredentialLines(text, false);
  }

  private static String redactCredentialLines(String text, boolean digest) {
    if (text.indexOf('=') < 0 && text.indexOf(':') < 0) {
      return text;
    }
    String[] lines = text.split("\n", -1);
    boolean changed = false;
    for (int i = 0; i < lines.length; i++) {
      String r = redactLine(lines[i], digest);
      if (!r.equals(lines[i])) {
        lines[i] = r;
        changed = true;
      }
    }
    return changed ? String.join("\n", lines) : text;
  }

  private static String redactLine(String line, boolean digest) {
    if (line.length() > 4096 || line.indexOf('=') < 0 && line.indexOf(':') < 0) {
      return line;
    }
    Matcher m = LINE.matcher(line);
    if (!m.matches() || !isCredentialName(m.group(2)) || m.group(4).startsWith("(sensitive")) {
      return line;
    }
    String value = m.group(4);
    // A YAML mapping start ("auth:") or a comment is not a value.
    if (m.group(3).strip().equals(":") && (value.startsWith("#") || value.equals("|") || value.equals(">"))) {
      return line;
    }
    return m.group(1) + m.group(2) + m.group(3) + (digest ? digest(value) : SHOWN) + m.group(5);
  }

  private String replaceSecrets(String text, java.util.function.UnaryOperator<String> shown) {
    String out = text;
    for (String s : secrets) {
      if (out.contains(s)) {
        out = out.replace(s, shown.apply(s));
      }
    }
    return out;
  }

  private static String jsonEscaped(String v) {
    StringBuilder b = new StringBuilder();
    for (char c : v.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "Sensitive[" + secrets.size() + " values]";
  }
}
