package dev.plumb.modules;

import dev.plumb.source.Problems;

/** Checks that many modules make of their parameters, with one wording. */
public final class ParamChecks {
  private ParamChecks() {}

  /** The parameter, when given, is an absolute path. */
  public static void absolutePath(Params params, String name, Problems problems) {
    params.optional(name).filter(p -> !p.startsWith("/")).ifPresent(p ->
        problems.error(params.mark(name), name + " '" + p + "' is not absolute",
            "write the full path, e.g. /etc/" + p.replaceFirst("^\\./", "")));
  }

  /**
   * Whether {@code state} is present or absent. The loader reports any other value (the parameter
   * declares its closed set); a module's own checks stop here rather than say it twice.
   */
  public static boolean presentOrAbsent(Params params, Problems problems) {
    String state = params.string("state");
    return state.equals("present") || state.equals("absent");
  }
}
