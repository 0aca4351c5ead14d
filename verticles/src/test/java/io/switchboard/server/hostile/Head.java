package io.switchboard.server.hostile;

import io.switchboard.server.testing.HttpUpgrade;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A hand-written upgrade request, built from a valid one by changing one thing at a time: the
 * request line, or a header removed, replaced or repeated. {@code {port}} in a value is the
 * server's port. Immutable; its {@link #toString()} names the change for test reports.
 */
final class Head {

  private final String method;
  private final String target;
  private final String version;
  private final List<String[]> headers;
  private final String label;

  private Head(String method, String target, String version, List<String[]> headers, String label) {
    this.method = method;
    this.target = target;
    this.version = version;
    this.headers = headers;
    this.label = label;
  }

  /** A valid upgrade of {@code /ws}. */
  static Head valid() {
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {"Host", "127.0.0.1:{port}"});
    headers.add(new String[] {"Upgrade", "websocket"});
    headers.add(new String[] {"Connection", "Upgrade"});
    headers.add(new String[] {"Sec-WebSocket-Key", HttpUpgrade.KEY});
    headers.add(new String[] {"Sec-WebSocket-Version", "13"});
    return new Head("GET", "/ws", "HTTP/1.1", headers, "valid");
  }

  Head method(String value) {
    return new Head(value, target, version, headers, label + ", method " + value);
  }

  Head target(String value) {
    return new Head(method, value, version, headers, label + ", target " + value);
  }

  Head version(String value) {
    return new Head(method, target, value, headers, label + ", " + value);
  }

  /** Without any header of that name. */
  Head without(String name) {
    List<String[]> kept = new ArrayList<>();
    for (String[] header : headers) {
      if (!header[0].equalsIgnoreCase(name)) {
        kept.add(header);
      }
    }
    return new Head(method, target, version, kept, label + ", no " + name);
  }

  /** With the header's value replaced (or the header added). */
  Head with(String name, String value) {
    return without(name).adding(name, value, label + ", " + name + ": " + value);
  }

  /** With one more header of that name, beside any already there. */
  Head plus(String name, String value) {
    return adding(name, value, label + ", another " + name + ": " + value);
  }

  private Head adding(String name, String value, String newLabel) {
    List<String[]> more = new ArrayList<>(headers);
    more.add(new String[] {name, value});
    return new Head(method, target, version, more, newLabel);
  }

  /** The request, with the blank line that ends it. */
  String request(int port) {
    StringBuilder request = new StringBuilder();
    request
        .append(method)
        .append(' ')
        .append(target.replace("{port}", String.valueOf(port)))
        .append(' ')
        .append(version)
        .append("\r\n");
    for (String[] header : headers) {
      String value = header[1].replace("{port}", String.valueOf(port));
      request.append(header[0]).append(':');
      if (!value.isEmpty()) {
        request.append(' ').append(value);
      }
      request.append("\r\n");
    }
    return request.append("\r\n").toString();
  }

  boolean isHead() {
    return method.toUpperCase(Locale.ROOT).equals("HEAD");
  }

  @Override
  public String toString() {
    String shown = label.length() > 120 ? label.substring(0, 120) + "…" : label;
    return shown.replace("valid, ", "");
  }
}
