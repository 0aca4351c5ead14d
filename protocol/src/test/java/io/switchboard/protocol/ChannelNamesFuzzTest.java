package io.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes the channel-name rules with arbitrary names (the input read as UTF-8) against the rule as
 * the README states it: 1 to 200 characters of {@code [A-Za-z0-9_:.@$-]}, {@code $} starting the
 * server's own. Seeds: {@code ChannelNamesFuzzTestInputs/} beside this class in the test resources.
 */
class ChannelNamesFuzzTest {

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_:.@$-]{1,200}");
  private static final Pattern NOT_ALLOWED = Pattern.compile("[^A-Za-z0-9_:.@$-]");

  @FuzzTest
  void validateAgreesWithTheStatedRule(byte[] input) {
    String name = new String(input, StandardCharsets.UTF_8);

    ProtocolException refusal =
        catchThrowableOfType(
            ProtocolException.class, () -> ChannelNames.validate(Envelope.CHANNEL, name));

    if (VALID.matcher(name).matches()) {
      assertThat(refusal).isNull();
    } else {
      assertThat(refusal).as("refusal of '%s'", name).isNotNull();
      assertThat(refusal.error().code()).isEqualTo(ErrorCode.BAD_REQUEST);
      assertNamesTheFirstBrokenRule(refusal.error().message(), name);
    }
    assertThat(ChannelNames.isServerChannel(name))
        .isEqualTo(!name.isEmpty() && name.charAt(0) == '$');
  }

  private static void assertNamesTheFirstBrokenRule(String message, String name) {
    if (name.isEmpty()) {
      assertThat(message).isEqualTo("field 'channel' must not be empty");
    } else if (name.length() > ChannelNames.MAX_LENGTH) {
      assertThat(message).startsWith("field 'channel' must be at most 200 characters, was '");
    } else {
      Matcher first = NOT_ALLOWED.matcher(name);
      assertThat(first.find()).as("an illegal character in '%s'", name).isTrue();
      assertThat(message)
          .startsWith("field 'channel' may only contain A-Z a-z 0-9 _ : . @ $ -, found ")
          .endsWith(" at index " + first.start());
    }
  }
}
