package dev.plumb.facts;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A typed fact: what to read ({@link #fact()}) and how to parse it, together. A module declares
 * {@code fact()} among its facts and reads the parsed value with {@link FactSet#get(FactDef)}; the
 * parser is pure, so it is tested from captured outputs alone. A definition read from a file (or a
 * glob of files) sees what earlier steps of the plan will write there.
 *
 * @param fact what the fact script reads
 * @param parser turns what was read into the value modules use
 * @param <T> the parsed value's type
 */
public record FactDef<T>(Fact fact, Function<FactResult, T> parser) {

  public T parse(FactResult read) {
    return parser.apply(read);
  }

  /** A file's text (empty when missing or unreadable), parsed. */
  public static <T> FactDef<T> file(String path, Function<Optional<String>, T> parse) {
    return new FactDef<>(Fact.file(path),
        r -> parse.apply(r instanceof FactResult.Content c ? Optional.of(c.text()) : Optional.empty()));
  }

  /** A command's exit status and stdout, parsed. */
  public static <T> FactDef<T> command(String script, Function<FactResult.Output, T> parse) {
    return new FactDef<>(Fact.command(script), r -> parse.apply(output(r)));
  }

  /** A command's exit status and stdout, parsed; the command runs in the script's own shell ({@link Fact.Command#inline}). */
  public static <T> FactDef<T> inlineCommand(String script, Function<FactResult.Output, T> parse) {
    return new FactDef<>(Fact.Command.inline(script), r -> parse.apply(output(r)));
  }

  /** The files a glob matches, path to content, parsed. */
  public static <T> FactDef<T> files(String glob, Function<Map<String, String>, T> parse) {
    return new FactDef<>(Fact.files(glob), r -> parse.apply(FileListing.parse(output(r).text())));
  }

  private static FactResult.Output output(FactResult r) {
    if (r instanceof FactResult.Output o) {
      return o;
    }
    throw new IllegalStateException("not a command's output: " + r);
  }
}
