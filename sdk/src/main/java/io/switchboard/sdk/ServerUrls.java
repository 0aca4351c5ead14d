package io.switchboard.sdk;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;

/** The rules of {@link ClientOptions}' server URLs, with the messages that name a broken one. */
final class ServerUrls {

  private ServerUrls() {}

  /** Checks that a URL is an absolute ws or wss URL with a host; answers it unchanged. */
  static String check(String name, String url) {
    Objects.requireNonNull(url, name);
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (!"ws".equals(scheme) && !"wss".equals(scheme) || uri.getHost() == null) {
        throw new IllegalArgumentException(
            name + " must be an absolute ws:// or wss:// URL with a host, was '" + url + "'");
      }
      return url;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          name + " must be a valid URL, was '" + url + "': " + e.getMessage(), e);
    }
  }

  /** Refuses a URL that is in {@code listed} already, however its scheme or host is written. */
  static void checkNotListed(String name, String url, List<String> listed) {
    for (String other : listed) {
      if (sameServerUrl(url, other)) {
        throw new IllegalArgumentException(
            name + " must not repeat a URL, was '" + url + "', listed already as '" + other + "'");
      }
    }
  }

  /** Whether two checked URLs name the same endpoint: scheme, host, port, path and query. */
  private static boolean sameServerUrl(String a, String b) {
    URI x = URI.create(a);
    URI y = URI.create(b);
    return x.getScheme().equalsIgnoreCase(y.getScheme())
        && x.getHost().equalsIgnoreCase(y.getHost())
        && port(x) == port(y)
        && path(x).equals(path(y))
        && Objects.equals(x.getRawQuery(), y.getRawQuery());
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "wss".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static String path(URI uri) {
    String path = uri.getRawPath();
    return path == null || path.isEmpty() ? "/" : path;
  }
}
