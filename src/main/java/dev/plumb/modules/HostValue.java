package dev.plumb.modules;

/**
 * What a host has for one value parameter of a resource, where it differs from the declaration:
 * the text that, declared instead, would make the resource converged on that host (plumb drift
 * adopt writes it back to the playbook or vars file that declares the value).
 *
 * @param param the parameter's name
 * @param index the item of a list parameter, or {@link #WHOLE} for the parameter itself
 * @param text the host's value
 */
public record HostValue(String param, int index, String text) {
  public static final int WHOLE = -1;

  public static HostValue whole(String param, String text) {
    return new HostValue(param, WHOLE, text);
  }
}
