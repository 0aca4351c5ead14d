package io.switchboard.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Web origins as browsers send them in the {@code Origin} header: {@code scheme://host[:port]},
 * lower-case, without the scheme's default port.
 */
public final class Origins {

  private Origins() {}

  /**
   * The origin in its canonical form, or null when it is not an http or https origin (a path, a
   * query, user info, another scheme, the opaque {@code null} origin).
   */
  public static String normalize(String origin) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      return null;
    }
    int port = uri.getPort();
    boolean defaultPort =
        port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
    return scheme
        + "://"
        + uri.getHost().toLowerCase(Locale.ROOT)
        + (defaultPort ? "" : ":" + port);
  }
}
