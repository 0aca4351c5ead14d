package io.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes configuration reading with JSON documents. Top-level fields named like overrides ({@code
 * SWITCHBOARD_...}, {@code switchboard....}) form the environment and system-property layer; the
 * rest is the file. The file alone and the file with its overrides must each either read or fail
 * with a {@link ConfigException} whose message starts with the key it is about; a configuration
 * that reads keeps every number it was given, and its {@link SwitchboardConfig#toJson()} reads back
 * to an equal one.
 *
 * <p>When the input's last byte is odd, the rest is the document as JSON text (the seeds in {@code
 * ConfigFuzzTestInputs/} beside this class in the test resources are such files); otherwise the
 * document is built from the input, mostly out of the sections and keys the configuration knows,
 * since byte mutations of JSON text rarely change its shape.
 */
class ConfigFuzzTest {

  private static final JsonObject DEFAULTS = ConfigLoader.embeddedDefaults();
  private static final List<String> KNOWN_KEYS = new ArrayList<>();
  private static final List<String> NAMES =
      new ArrayList<>(List.of("enabled", "timeoutMs", "config", "class", "jar", "instances"));
  private static final List<String> TEXTS =
      List.of(
          "",
          " ",
          "true",
          "FALSE",
          "0",
          "-1",
          "5000",
          "1.5",
          "1e400",
          "[\"switchboard.v1\"]",
          "{\"chat\":{\"timeoutMs\":1}}",
          "/ws",
          "ws",
          "127.0.0.1",
          "0.0.0.0",
          "per-message",
          "coalesce",
          "com.example.Verticle");

  static {
    for (String section : DEFAULTS.fieldNames()) {
      NAMES.add(section);
      for (String key : DEFAULTS.getJsonObject(section).fieldNames()) {
        KNOWN_KEYS.add(section + "." + key);
        NAMES.add(key);
      }
    }
  }

  @FuzzTest
  void readsOrNamesTheKeyAndRoundTrips(FuzzedDataProvider data) {
    JsonObject document;
    if (data.consumeBoolean()) {
      try {
        document =
            new JsonObject(new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8));
      } catch (DecodeException e) {
        return; // not a JSON object: vertx-config refuses the file before us
      }
    } else {
      document = generated(data);
    }
    JsonObject file = new JsonObject();
    JsonObject overrides = new JsonObject();
    for (Map.Entry<String, Object> field : document) {
      boolean override =
          field.getKey().startsWith("SWITCHBOARD_") || field.getKey().startsWith("switchboard.");
      (override ? overrides : file).put(field.getKey(), field.getValue());
    }

    read(file, document);
    JsonObject merged;
    try {
      merged = ConfigLoader.applyOverrides(file, overrides);
    } catch (ConfigException e) {
      assertNamesAKeyOf(e, document);
      return;
    }
    read(merged, document);
  }

  private static void read(JsonObject json, JsonObject document) {
    SwitchboardConfig config;
    try {
      config = SwitchboardConfig.fromJson(json);
    } catch (ConfigException e) {
      assertNamesAKeyOf(e, document);
      return;
    }
    JsonObject written = config.toJson();
    assertKeepsEveryNumber(json, written);
    assertThat(SwitchboardConfig.fromJson(written)).isEqualTo(config);
  }

  /**
   * The message starts with the key, section or override it is about (after "unknown configuration
   * key " and the like): a field of the document or a key the configuration knows.
   */
  private static void assertNamesAKeyOf(ConfigException e, JsonObject document) {
    String message = e.getMessage();
    String about = message.replaceFirst("^unknown configuration (section|key|override) ", "");
    Set<String> names = new HashSet<>(KNOWN_KEYS);
    names.addAll(document.fieldNames());
    assertThat(names.stream().anyMatch(name -> startsWithName(about, name)))
        .as("'%s' names a field of the document or a known key", message)
        .isTrue();
  }

  private static boolean startsWithName(String text, String name) {
    return text.startsWith(name)
        && (text.length() == name.length() || " .;[(".indexOf(text.charAt(name.length())) >= 0);
  }

  /** Every number given for a section's key is the number the configuration holds. */
  private static void assertKeepsEveryNumber(JsonObject given, JsonObject written) {
    for (String section : written.fieldNames()) {
      if (!(given.getValue(section) instanceof JsonObject givenSection)) {
        continue;
      }
      JsonObject writtenSection = written.getJsonObject(section);
      for (Map.Entry<String, Object> key : givenSection) {
        if (key.getValue() instanceof Number number) {
          assertThat(writtenSection.getValue(key.getKey()))
              .as("%s.%s given as %s", section, key.getKey(), number)
              .isInstanceOfSatisfying(
                  Number.class,
                  held -> assertThat(exact(held)).isEqualByComparingTo(exact(number)));
        }
      }
    }
  }

  private static BigDecimal exact(Number number) {
    try {
      return new BigDecimal(number.toString());
    } catch (NumberFormatException e) {
      throw new AssertionError(number + " is not a finite number", e);
    }
  }

  /** A document of sections, overrides and stray fields. */
  private static JsonObject generated(FuzzedDataProvider data) {
    JsonObject document = new JsonObject();
    int fields = data.consumeInt(0, 6);
    for (int i = 0; i < fields; i++) {
      switch (data.consumeInt(0, 3)) {
        case 0, 1 -> {
          String section = data.pickValue(SwitchboardConfig.SECTIONS);
          document.put(section, data.consumeInt(0, 7) == 0 ? value(data, 1) : object(data, 2));
        }
        case 2 -> {
          String[] key = data.pickValue(KNOWN_KEYS).split("\\.", 2);
          String name =
              data.consumeBoolean()
                  ? ConfigLoader.envName(key[0], key[1])
                  : ConfigLoader.sysName(key[0], key[1]);
          document.put(name, data.consumeBoolean() ? data.pickValue(TEXTS) : text(data));
        }
        default -> document.put(name(data), value(data, 2));
      }
    }
    return document;
  }

  private static JsonObject object(FuzzedDataProvider data, int depth) {
    JsonObject object = new JsonObject();
    int fields = data.consumeInt(0, 5);
    for (int i = 0; i < fields; i++) {
      object.put(name(data), value(data, depth - 1));
    }
    return object;
  }

  private static Object value(FuzzedDataProvider data, int depth) {
    return switch (data.consumeInt(0, 10)) {
      case 0 -> null;
      case 1 -> data.consumeBoolean();
      case 2 -> data.consumeInt(-2, 70_000);
      case 3 -> data.consumeLong();
      case 4 -> new BigInteger(1, data.consumeBytes(10)).multiply(sign(data));
      case 5 -> data.consumeRegularDouble();
      case 6 -> data.consumeBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      case 7 -> data.pickValue(TEXTS);
      case 8 -> text(data);
      case 9 -> depth > 0 ? object(data, depth) : null;
      default -> {
        JsonArray array = new JsonArray();
        int values = depth > 0 ? data.consumeInt(0, 3) : 0;
        for (int i = 0; i < values; i++) {
          array.add(value(data, depth - 1));
        }
        yield array;
      }
    };
  }

  private static BigInteger sign(FuzzedDataProvider data) {
    return data.consumeBoolean() ? BigInteger.ONE : BigInteger.ONE.negate();
  }

  private static String name(FuzzedDataProvider data) {
    return data.consumeInt(0, 9) == 0 ? text(data) : data.pickValue(NAMES);
  }

  private static String text(FuzzedDataProvider data) {
    return data.consumeString(24);
  }
}
