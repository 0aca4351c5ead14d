package io.switchboard.server.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, checked reading of one configuration section. A missing key takes the default given by the
 * caller; a key the section does not know, a value of the wrong type or a value that breaks its
 * rule is a {@link ConfigException} naming {@code section.key}, the value and the rule.
 */
final class ConfigSection {

  private final String name;
  private final JsonObject json;

  private ConfigSection(String name, JsonObject json) {
    this.name = name;
    this.json = json;
  }

  /**
   * The section {@code name} of {@code root}; an absent section reads as empty.
   *
   * @param keys every key the section accepts
   */
  static ConfigSection of(JsonObject root, String name, Set<String> keys) {
    return at(name, root.getValue(name), keys);
  }

  /**
   * A section given by its value, under a possibly dotted name such as {@code
   * plugins.settings.chat}; null reads as empty.
   */
  static ConfigSection at(String name, Object value, Set<String> keys) {
    if (value == null) {
      return new ConfigSection(name, new JsonObject());
    }
    if (!(value instanceof JsonObject json)) {
      throw new ConfigException(name + " must be a JSON object, was " + value);
    }
    for (String key : json.fieldNames()) {
      if (!keys.contains(key)) {
        throw new ConfigException(
            "unknown configuration key "
                + name
                + "."
                + key
                + "; "
                + name
                + " accepts "
                + String.join(", ", new TreeSet<>(keys)));
      }
    }
    return new ConfigSection(name, json);
  }

  /** A section's key set: shared keys (such as {@link TlsConfig#KEYS}) and its own. */
  static Set<String> keys(java.util.Collection<String> shared, String... own) {
    Set<String> keys = new java.util.HashSet<>(shared);
    keys.addAll(java.util.List.of(own));
    return Set.copyOf(keys);
  }

  int integer(String key, int defaultValue, int min, int max) {
    BigDecimal value = number(key, defaultValue);
    if (value.compareTo(BigDecimal.valueOf(min)) < 0
        || value.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw invalid(key, shown(value), "between " + min + " and " + max);
    }
    return value.intValueExact();
  }

  /** A duration in milliseconds, at least {@code min}. */
  long millis(String key, long defaultValue, long min) {
    BigDecimal value = number(key, defaultValue);
    if (value.compareTo(BigDecimal.valueOf(min)) < 0) {
      throw invalid(key, shown(value), min == 1 ? "> 0" : ">= " + min);
    }
    if (value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw invalid(key, shown(value), "at most " + Long.MAX_VALUE);
    }
    return value.longValueExact();
  }

  boolean bool(String key, boolean defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean b)) {
      throw invalid(key, quoted(value), "true or false");
    }
    return b;
  }

  String string(String key, String defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof String s)) {
      throw invalid(key, value, "a string");
    }
    return s;
  }

  JsonObject object(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject o)) {
      throw invalid(key, value, "a JSON object");
    }
    return o;
  }

  JsonArray array(String key) {
    return array(key, new JsonArray());
  }

  JsonArray array(String key, JsonArray defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof JsonArray a)) {
      throw invalid(key, value, "a JSON array");
    }
    return a;
  }

  /** A list of strings; each must be a non-empty string. */
  List<String> strings(String key, List<String> defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof JsonArray array)) {
      throw invalid(key, value, "a JSON array of strings");
    }
    List<String> result = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s) || s.isEmpty()) {
        throw invalid(key, array.encode(), "a JSON array of non-empty strings");
      }
      result.add(s);
    }
    return List.copyOf(result);
  }

  /** The full name of a key of this section, e.g. {@code plugins.settings}. */
  String name(String key) {
    return name + "." + key;
  }

  /** A failure about {@code section.key}: "{@code ws.port must be <rule>, was <value>}". */
  ConfigException invalid(String key, Object value, String rule) {
    return new ConfigException(name + "." + key + " must be " + rule + ", was " + value);
  }

  /**
   * A whole number exactly as given: one beyond a long (2^64 + 5, 1e30) or not finite (1e400 reads
   * as Infinity) is not folded into a long that then passes the range check.
   */
  private BigDecimal number(String key, long defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return BigDecimal.valueOf(defaultValue);
    }
    BigDecimal exact = value instanceof Number n ? exact(n) : null;
    if (exact == null || exact.stripTrailingZeros().scale() > 0) {
      throw invalid(key, quoted(value), "a whole number");
    }
    return exact;
  }

  private static BigDecimal exact(Number n) {
    try {
      return new BigDecimal(n.toString());
    } catch (NumberFormatException e) {
      return null; // NaN or Infinity
    }
  }

  private static String shown(BigDecimal whole) {
    return whole.stripTrailingZeros().toPlainString();
  }

  private static Object quoted(Object value) {
    return value instanceof String ? "\"" + value + "\"" : value;
  }
}
