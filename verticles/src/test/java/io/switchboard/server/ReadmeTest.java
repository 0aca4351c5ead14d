package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.MessageType;
import io.switchboard.server.config.SwitchboardConfig;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The README documents every configuration key, public bus address, type and error code. */
class ReadmeTest {

  private static String readme;

  @BeforeAll
  static void read() throws Exception {
    readme = Files.readString(Path.of("..", "README.md"));
  }

  @Test
  void everyConfigurationKeyHasARowWithItsDefault() {
    JsonObject defaults = SwitchboardConfig.defaults().toJson();
    List<String> missing = new ArrayList<>();
    for (String section : defaults.fieldNames()) {
      JsonObject keys = defaults.getJsonObject(section);
      for (String key : keys.fieldNames()) {
        Object value = keys.getValue(key);
        String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        if (value instanceof String s && !s.isEmpty()) {
          shown = s;
        }
        String row = "| `" + section + "." + key + "` | `" + shown + "` |";
        if (!readme.contains(row)) {
          missing.add(row);
        }
      }
    }
    assertThat(missing).as("configuration rows missing from the README").isEmpty();
  }

  /**
   * {@code Addresses} is the public contract and holds nothing else (the server's plumbing has its
   * own addresses): each of its constants has a row in the README's event-bus table.
   */
  @Test
  void everyAddressOfTheProtocolIsAPublicDocumentedOne() throws Exception {
    List<String> missing = new ArrayList<>();
    int addresses = 0;
    for (Field field : Addresses.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        String address = (String) field.get(null);
        addresses++;
        if (!readme.contains("| `" + address + "` |")) {
          missing.add(address);
        }
      }
    }
    assertThat(addresses).as("addresses in Addresses").isPositive();
    assertThat(missing).as("addresses of Addresses without a row in the README").isEmpty();
  }

  @Test
  void everyMessageTypeAndAliasAndErrorCodeIsDocumented() {
    for (MessageType type : MessageType.values()) {
      assertThat(readme).contains("`" + type.wireName() + "`");
      type.aliases().forEach(alias -> assertThat(readme).contains("`" + alias + "`"));
    }
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(readme).contains("| `" + code.code() + "` | " + (code.retryable() ? "yes" : "no"));
    }
  }
}
