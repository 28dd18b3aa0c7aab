package dev.plumb.modules;

/** One parameter a module accepts. */
public record Param(String name, Type type, boolean required, String defaultValue, String doc) {

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
}
