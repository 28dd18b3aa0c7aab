package dev.plumb.transport;

/**
 * A host's connection variable has a value plumb cannot use. {@link #variable()} names it, so that
 * the caller points at where the inventory sets it rather than searching the message for a name.
 */
public final class BadVariable extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String variable;

  BadVariable(String variable, String message, Throwable cause) {
    super(message, cause);
    this.variable = variable;
  }

  BadVariable(String variable, String message) {
    this(variable, message, null);
  }

  /** The inventory variable with the bad value, as the inventory spells it (e.g. ansible_port). */
  public String variable() {
    return variable;
  }
}
