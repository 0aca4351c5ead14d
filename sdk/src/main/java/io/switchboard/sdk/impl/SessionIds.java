package io.switchboard.sdk.impl;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Session names for the server's {@code session} query parameter: 128 random bits in URL-safe
 * base64 (22 characters), unguessable, since whoever presents a session with the same identity is
 * taken for it. Thread-safe.
 */
final class SessionIds {

  static final String PARAMETER = "session";

  private static final SecureRandom RANDOM = new SecureRandom();

  private SessionIds() {}

  static String next() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  /**
   * The URL with {@code session=<id>} added to its query; unchanged when the application's URL
   * names a session of its own.
   */
  static String addTo(String url, String sessionId) {
    String query = URI.create(url).getRawQuery();
    if (query != null) {
      for (String parameter : query.split("&")) {
        if (parameter.equals(PARAMETER) || parameter.startsWith(PARAMETER + "=")) {
          return url;
        }
      }
    }
    int fragment = url.indexOf('#');
    String base = fragment < 0 ? url : url.substring(0, fragment);
    String rest = fragment < 0 ? "" : url.substring(fragment);
    return base + (query == null ? "?" : "&") + PARAMETER + "=" + sessionId + rest;
  }
}
