package org.orphanreaper.sink.accounting;

/** The strict parser of the accounting reader, for tests of other packages that read JSON. */
public final class ParsedJson {

  private ParsedJson() {}

  /**
   * The one JSON value that is the whole text: objects as Maps in field order, arrays as Lists,
   * numbers as BigDecimals. Invalid JSON is an AssertionError that says where.
   */
  public static Object parse(String text) {
    try {
      return JsonParser.parse(text);
    } catch (JsonParser.MalformedException e) {
      throw new AssertionError("not JSON: " + e.getMessage() + "\n" + text, e);
    }
  }
}
