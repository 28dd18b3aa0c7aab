package dev.plumb.drift;

import dev.plumb.plan.HostPlan;
import dev.plumb.plan.Step;
import java.util.LinkedHashMap;
import java.util.Map;

/** Classes the changes of one host's plan. Pure: the record and the digests are read before. */
public final class Classes {
  private Classes() {}

  /**
   * The class of every step of {@code plan} that changes something. A handler takes the class of
   * what notified it: drift when any notifier is drift (the restart makes that correction live).
   */
  public static Map<String, DriftClass> of(HostPlan plan, Map<String, String> declared, Converged record) {
    Map<String, DriftClass> out = new LinkedHashMap<>();
    for (Step s : plan.steps()) {
      if (!s.changes()) {
        continue;
      }
      if (s.handler() && !s.notifiedBy().isEmpty()) {
        DriftClass c = DriftClass.UNKNOWN;
        for (String n : s.notifiedBy()) {
          DriftClass nc = out.getOrDefault(n, record.classify(n, declared.get(n)));
          if (nc == DriftClass.DRIFT) {
            c = DriftClass.DRIFT;
            break;
          }
          if (nc == DriftClass.ROLLOUT) {
            c = DriftClass.ROLLOUT;
          }
        }
        out.put(s.id(), c);
      } else {
        out.put(s.id(), record.classify(s.id(), declared.get(s.id())));
      }
    }
    return out;
  }
}
