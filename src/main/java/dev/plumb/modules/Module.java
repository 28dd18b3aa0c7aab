package dev.plumb.modules;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactSet;
import dev.plumb.source.Problems;
import java.util.List;
import java.util.Set;

/**
 * The code that knows one resource type: which facts it reads, how it diffs, which commands
 * converge it. Implementations are stateless; {@link #diff} is pure. What the type says about
 * itself (name, description, parameters) is one {@link #spec} value, not methods written by hand.
 */
public interface Module {

  /** Its type, description, key parameter and parameters, declared once ({@link ModuleSpec}). */
  ModuleSpec spec();

  /** The resource type as written in playbooks, e.g. {@code file}, {@code kernel_cmdline}. */
  default String type() {
    return spec().type();
  }

  /** One sentence for {@code plumb modules} and error messages. */
  default String description() {
    return spec().description();
  }

  /** The parameters it accepts; the loader checks names, types and required ones against this. */
  default List<Param> params() {
    return spec().params();
  }

  /**
   * The parameter whose value names a resource when it has no {@code name}: the id of {@code -
   * file: {path: /etc/x}} is {@code file[/etc/x]}. Null when resources of this type need a name.
   */
  default String keyParam() {
    return spec().keyParam();
  }

  /**
   * Checks that need more than one parameter or the value's meaning (a kernel parameter that does
   * not exist, a version that is not a version). Problems carry the value's mark.
   */
  default void validate(Params params, Problems problems) {}

  /** The facts {@link #diff} will read, for these parameters. */
  List<Fact> facts(Params params);

  /** What must change to reach the declared state. Pure: reads only {@code facts}. */
  Change diff(Params params, FactSet facts);

  /**
   * Resource types that, on the same host, converge before resources of this type (CUDA after the
   * driver). An edge that would contradict the user's {@code requires} is left out.
   */
  default Set<String> after() {
    return Set.of();
  }

  /**
   * Paths this resource may write, or shell globs of them ({@code /etc/default/grub.d/*.cfg}); a
   * resource that reads one of them is ordered after it.
   */
  default Set<String> writes(Params params) {
    return Set.of();
  }

  /**
   * The paths of {@link #writes} whose whole content this resource decides (not a line, key or
   * token in them). Another resource of the host writing one of them is a load error: the two
   * would rewrite the file in turn on every run (and with it rebuild an initramfs, or reboot).
   */
  default Set<String> owns(Params params) {
    return Set.of();
  }

  /**
   * For {@code plumb drift adopt}: the host's values of the value parameters that differ from the
   * declaration, read from the same facts as {@link #diff} (pure). Empty when nothing differs or
   * the host's state cannot be said as a value of this type's parameters (a missing line, a
   * package version): those differences are not adoptable.
   */
  default java.util.List<HostValue> hostValues(Params params, FactSet facts) {
    return java.util.List.of();
  }
}
