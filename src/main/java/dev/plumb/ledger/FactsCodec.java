package dev.plumb.ledger;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.text.Sensitive;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Facts as plain JSON-ready data: content is base64 (files may hold any bytes), so a recorded
 * host is planned from exactly what was read.
 */
public final class FactsCodec {
  private FactsCodec() {}

  /** {@link #encode(FactSet, Sensitive)} with only credential options redacted. */
  public static List<Object> encode(FactSet facts) {
    return encode(facts, Sensitive.none());
  }

  /**
   * Facts as stored: text with known secrets and credential option values (nova.conf's passwords,
   * database URL...) replaced by their digests, marked {@code "redacted": true}. The ledger travels
   * with the repository; what offline planning needs is which values changed, not the values.
   */
  public static List<Object> encode(FactSet facts, Sensitive secrets) {
    List<Object> out = new ArrayList<>();
    facts.asRead().forEach((fact, result) -> {
      Map<String, Object> entry = new LinkedHashMap<>();
      if (fact instanceof Fact.File f) {
        entry.put("file", f.path());
      } else if (fact instanceof Fact.Files g) {
        entry.put("files", g.glob());
      } else {
        entry.put("command", ((Fact.Command) fact).script());
      }
      if (result instanceof FactResult.Content c) {
        entry.put("status", "content");
        put(entry, c.bytes(), secrets);
      } else if (result instanceof FactResult.Output o) {
        entry.put("status", "exit");
        entry.put("exit", o.exitStatus());
        put(entry, o.stdout(), secrets);
      } else {
        entry.put("status", result instanceof FactResult.Missing ? "missing" : "unreadable");
      }
      out.add(entry);
    });
    return out;
  }

  private static void put(Map<String, Object> entry, byte[] bytes, Sensitive secrets) {
    byte[] stored = bytes;
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      String redacted = secrets.digestAll(text);
      if (!redacted.equals(text)) {
        stored = redacted.getBytes(StandardCharsets.UTF_8);
        entry.put("redacted", true);
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      // Binary content: no option lines to find, and known secrets are text.
    }
    entry.put("base64", Base64.getEncoder().encodeToString(stored));
  }

  /** The inverse of {@link #encode}, from parsed JSON (redacted values stay digests). */
  public static FactSet decode(List<?> entries) {
    Map<Fact, FactResult> read = new LinkedHashMap<>();
    for (Object o : entries) {
      Map<?, ?> e = (Map<?, ?>) o;
      Fact fact = e.containsKey("file") ? Fact.file((String) e.get("file"))
          : e.containsKey("files") ? Fact.files((String) e.get("files")) : Fact.command((String) e.get("command"));
      String status = (String) e.get("status");
      FactResult result = switch (status) {
        case "content" -> new FactResult.Content(Base64.getDecoder().decode((String) e.get("base64")));
        case "exit" -> new FactResult.Output(((Number) e.get("exit")).intValue(), Base64.getDecoder().decode((String) e.get("base64")));
        case "missing" -> new FactResult.Missing();
        default -> new FactResult.Unreadable();
      };
      read.put(fact, result);
    }
    return FactSet.of(read);
  }
}
