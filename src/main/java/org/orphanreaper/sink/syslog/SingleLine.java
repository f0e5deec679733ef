package org.orphanreaper.sink.syslog;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Turns any message text into one syslog line of bounded size. */
final class SingleLine {

  /**
   * Leaves room under rsyslog's default 8 KiB maxMessageSize and the 4 KiB many relays keep, for
   * the header too.
   */
  static final int MAX_BYTES = 4000;

  private SingleLine() {}

  /**
   * Replaces CR, LF and NUL with spaces (a syslog record ends at a newline, and C readers at NUL)
   * and cuts the text to at most {@link #MAX_BYTES} UTF-8 bytes without splitting a character.
   */
  static String of(String message) {
    String text = message == null ? "" : message;
    StringBuilder folded = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      folded.append(c == '\r' || c == '\n' || c == '\0' ? ' ' : c);
    }
    return capped(folded);
  }

  private static String capped(CharSequence text) {
    if (text.length() * 3 <= MAX_BYTES) {
      return text.toString();
    }
    // The encoder stops before a character that would not fit, so none is cut in half.
    CharsetEncoder encoder =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    CharBuffer in = CharBuffer.wrap(text);
    encoder.encode(in, ByteBuffer.allocate(MAX_BYTES), true);
    return text.subSequence(0, in.position()).toString();
  }
}
