package dev.plumb.load;

/** Placeholder until the loader branch lands (replaced at merge). */
public final class Loader {
  private Loader() {}

  public static Catalog load(LoadRequest request) {
    throw new UnsupportedOperationException("loader not merged yet");
  }
}
