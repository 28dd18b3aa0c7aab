package dev.plumb.ledger;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
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

  public static List<Object> encode(FactSet facts) {
    List<Object> out = new ArrayList<>();
    facts.asRead().forEach((fact, result) -> {
      Map<String, Object> entry = new LinkedHashMap<>();
      if (fact instanceof Fact.File f) {
        entry.put("file", f.path());
      } else {
        entry.put("command", ((Fact.Command) fact).script());
      }
      if (result instanceof FactResult.Content c) {
        entry.put("status", "content");
        entry.put("base64", Base64.getEncoder().encodeToString(c.bytes()));
      } else if (result instanceof FactResult.Output o) {
        entry.put("status", "exit");
        entry.put("exit", o.exitStatus());
        entry.put("base64", Base64.getEncoder().encodeToString(o.stdout()));
      } else {
        entry.put("status", result instanceof FactResult.Missing ? "missing" : "unreadable");
      }
      out.add(entry);
    });
    return out;
  }

  /** The inverse of {@link #encode}, from parsed JSON. */
  public static FactSet decode(List<?> entries) {
    Map<Fact, FactResult> read = new LinkedHashMap<>();
    for (Object o : entries) {
      Map<?, ?> e = (Map<?, ?>) o;
      Fact fact = e.containsKey("file") ? Fact.file((String) e.get("file")) : Fact.command((String) e.get("command"));
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
