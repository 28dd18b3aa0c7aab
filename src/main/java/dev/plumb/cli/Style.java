package dev.plumb.cli;

import dev.plumb.modules.Action;

/** ANSI colour, only when writing to a terminal and the user has not asked for none. */
record Style(boolean color) {

  static Style detect(boolean noColorFlag) {
    boolean tty = System.console() != null;
    boolean noColorEnv = System.getenv("NO_COLOR") != null && !System.getenv("NO_COLOR").isEmpty();
    return new Style(tty && !noColorFlag && !noColorEnv);
  }

  String paint(String code, String text) {
    return color ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
  }

  String bold(String text) {
    return paint("1", text);
  }

  String dim(String text) {
    return paint("2", text);
  }

  String red(String text) {
    return paint("31", text);
  }

  String green(String text) {
    return paint("32", text);
  }

  String yellow(String text) {
    return paint("33", text);
  }

  String action(Action a, String text) {
    return switch (a) {
      case CREATE -> paint("32", text);
      case UPDATE -> paint("33", text);
      case DELETE -> paint("31", text);
      case RUN -> paint("36", text);
      case RESTART -> paint("35", text);
      case NONE -> text;
    };
  }

  String diffLine(String line) {
    if (line.startsWith("+++") || line.startsWith("---")) {
      return bold(line);
    }
    if (line.startsWith("+")) {
      return green(line);
    }
    if (line.startsWith("-")) {
      return red(line);
    }
    if (line.startsWith("@@")) {
      return paint("36", line);
    }
    return line;
  }
}
