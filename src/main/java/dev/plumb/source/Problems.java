package dev.plumb.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem in the input so the user sees all of them at once, not just the first. */
public final class Problems {
  private final List<Problem> list = new ArrayList<>();

  public void add(Problem problem) {
    list.add(problem);
  }

  public void error(Mark mark, String message, String fix) {
    add(Problem.error(mark, message, fix));
  }

  public void warning(Mark mark, String message, String fix) {
    add(Problem.warning(mark, message, fix));
  }

  public void addAll(List<Problem> problems) {
    list.addAll(problems);
  }

  public boolean hasErrors() {
    return list.stream().anyMatch(Problem::isError);
  }

  /** All problems, sorted by file, line and column so output is stable. */
  public List<Problem> all() {
    List<Problem> sorted = new ArrayList<>(list);
    sorted.sort(
        Comparator.comparing((Problem p) -> p.mark().file())
            .thenComparingInt(p -> p.mark().line())
            .thenComparingInt(p -> p.mark().column()));
    return List.copyOf(sorted);
  }

  /** Throws {@link InputException} when any error was collected. */
  public void throwIfErrors() {
    if (hasErrors()) {
      throw new InputException(all());
    }
  }
}
