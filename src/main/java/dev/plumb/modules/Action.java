package dev.plumb.modules;

/** What a change does; a closed set, each with the mark the text plan shows. */
public enum Action {
  NONE(" ", "no change"),
  CREATE("+", "create"),
  UPDATE("~", "update"),
  DELETE("-", "delete"),
  /** Commands whose effect plumb cannot diff (an installer, an opaque command). */
  RUN("!", "run"),
  /** A service restart or an initramfs rebuild: a handler that was notified. */
  RESTART("*", "restart");

  private final String symbol;
  private final String word;

  Action(String symbol, String word) {
    this.symbol = symbol;
    this.word = word;
  }

  public String symbol() {
    return symbol;
  }

  public String word() {
    return word;
  }

  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
