package org.orphanreaper.cli;

/** Entry point; replaced by the real command line as the foundation lands. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(0);
  }
}
