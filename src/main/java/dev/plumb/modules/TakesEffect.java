package dev.plumb.modules;

/** When a change takes effect on the running system. */
public sealed interface TakesEffect {

  String describe();

  record Now() implements TakesEffect {
    @Override
    public String describe() {
      return "now";
    }
  }

  record AfterRestart(String what) implements TakesEffect {
    @Override
    public String describe() {
      return "after restart of " + what;
    }
  }

  record AfterReboot() implements TakesEffect {
    @Override
    public String describe() {
      return "after reboot";
    }
  }

  TakesEffect NOW = new Now();
  TakesEffect AFTER_REBOOT = new AfterReboot();

  static TakesEffect afterRestart(String what) {
    return new AfterRestart(what);
  }
}
