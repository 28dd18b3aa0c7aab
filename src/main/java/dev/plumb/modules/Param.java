package dev.plumb.modules;

import java.util.List;

/**
 * One parameter a module accepts.
 *
 * @param values for a parameter with a closed set of values ({@code state: present|absent}), the
 *     values it takes; the loader refuses any other with "did you mean". Empty: any value of its type.
 */
public record Param(String name, Type type, boolean required, String defaultValue, String doc, List<String> values) {

  public Param {
    values = values == null ? List.of() : List.copyOf(values);
  }

  public Param(String name, Type type, boolean required, String defaultValue, String doc) {
    this(name, type, required, defaultValue, doc, List.of());
  }

  /** The shapes a parameter can take; scalars are checked for their form (bool, int). */
  public enum Type {
    STRING("a string"),
    BOOL("true or false"),
    INT("a whole number"),
    LIST("a list"),
    MAP("a mapping"),
    /** A string or a list of strings; a single string is read as a list of one. */
    STRINGS("a string or a list of strings"),
    ANY("any value");

    private final String expected;

    Type(String expected) {
      this.expected = expected;
    }

    public String expected() {
      return expected;
    }
  }

  public static Param required(String name, Type type, String doc) {
    return new Param(name, type, true, null, doc);
  }

  public static Param optional(String name, Type type, String defaultValue, String doc) {
    return new Param(name, type, false, defaultValue, doc);
  }

  /** An optional string that takes one of {@code values} ({@code defaultValue} may be null). */
  public static Param oneOf(String name, String defaultValue, String doc, String... values) {
    return new Param(name, Type.STRING, false, defaultValue, doc, List.of(values));
  }
}
