package dev.plumb.apply;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.load.HostCatalog;
import dev.plumb.plan.RebootPolicy;
import java.util.Map;

/**
 * Plans remembered per host: a host whose facts read exactly as at its last plan (the same catalog
 * object, equal facts, the same reboot policy) gets that plan again. Planning is pure (catalog and
 * facts in, plan out: no clock, no I/O), so the remembered decision is the one planning would make
 * again. A watch reads every host every cycle and a converged fleet's facts rarely move: planning
 * was the largest part of a kept cycle's CPU in the JVM (diffing nova.conf, the grub files, the
 * modprobe files of every host, every cycle), and comparing the facts costs a few microseconds.
 *
 * <p>Catalogs are weak keys compared by identity: a reload makes new catalogs, planned anew, and
 * the old entries go with the old catalogs.
 */
final class RememberedPlans implements PlanSource {
  private record Last(Map<Fact, FactResult> facts, RebootPolicy reboot, Decision decision) {}

  private final PlanSource source;
  private final Cache<HostCatalog, Last> last = CacheBuilder.newBuilder().weakKeys().build();

  RememberedPlans(PlanSource source) {
    this.source = source;
  }

  @Override
  public Decision plan(HostCatalog catalog, FactSet facts, RebootPolicy reboot) {
    Map<Fact, FactResult> read = facts.asRead();
    Last before = last.getIfPresent(catalog);
    if (before != null && before.reboot().equals(reboot) && before.facts().equals(read)) {
      return before.decision();
    }
    Decision decision = source.plan(catalog, facts, reboot);
    last.put(catalog, new Last(read, reboot, decision));
    return decision;
  }
}
