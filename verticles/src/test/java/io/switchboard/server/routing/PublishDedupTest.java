package io.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.history.StreamPosition;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PublishDedupTest {

  private static final long WINDOW = 1_000;

  private final AtomicInteger forgotten = new AtomicInteger();

  private static String key(String scope, String id) {
    return scope.length() + ":" + scope + id;
  }

  private static StreamPosition seen(PublishDedup dedup, String channel, String key, long now) {
    return dedup.seen(dedup.key(channel, key), now);
  }

  private static void remember(
      PublishDedup dedup, String channel, String key, StreamPosition position, long now) {
    dedup.remember(dedup.key(channel, key), key, position, now);
  }

  private static StreamPosition at(long offset) {
    return new StreamPosition(offset, "e");
  }

  @Test
  void aReSendWithinTheWindowFindsTheFirstPlaceAndNothingAfterIt() {
    PublishDedup dedup = new PublishDedup(WINDOW, 100, 10, forgotten::incrementAndGet);
    remember(dedup, "c", key("alice\u0001s", "p-1"), at(7), 0);

    assertThat(seen(dedup, "c", key("alice\u0001s", "p-1"), WINDOW - 1)).isEqualTo(at(7));
    assertThat(seen(dedup, "c", key("alice\u0001s", "p-1"), WINDOW)).isNull();
    assertThat(seen(dedup, "other", key("alice\u0001s", "p-1"), 1)).as("another channel").isNull();
    assertThat(seen(dedup, "c", key("bob\u0001s", "p-1"), 1)).as("another user").isNull();
    assertThat(seen(dedup, "c", null, 1)).isNull();
  }

  @Test
  void aScopeOverItsShareForgetsItsOwnOldestAndNobodyElses() {
    PublishDedup dedup = new PublishDedup(WINDOW, 100, 2, forgotten::incrementAndGet);
    remember(dedup, "c", key("\u0001fast", "1"), at(1), 0);
    remember(dedup, "c", key("\u0001calm", "1"), at(2), 0);
    remember(dedup, "c", key("\u0001fast", "2"), at(3), 0);
    remember(dedup, "c", key("\u0001fast", "3"), at(4), 0);

    assertThat(seen(dedup, "c", key("\u0001fast", "1"), 1)).as("fast's oldest").isNull();
    assertThat(seen(dedup, "c", key("\u0001fast", "2"), 1)).isEqualTo(at(3));
    assertThat(seen(dedup, "c", key("\u0001fast", "3"), 1)).isEqualTo(at(4));
    assertThat(seen(dedup, "c", key("\u0001calm", "1"), 1)).as("calm's").isEqualTo(at(2));
    assertThat(forgotten).hasValue(1);
    assertThat(dedup.size()).isEqualTo(3);
  }

  @Test
  void beyondCapacityTheOldestOfAllIsForgotten() {
    PublishDedup dedup = new PublishDedup(WINDOW, 2, 10, forgotten::incrementAndGet);
    remember(dedup, "c", key("\u0001a", "1"), at(1), 0);
    remember(dedup, "c", key("\u0001b", "1"), at(2), 0);
    remember(dedup, "c", key("\u0001c", "1"), at(3), 0);

    assertThat(seen(dedup, "c", key("\u0001a", "1"), 1)).isNull();
    assertThat(seen(dedup, "c", key("\u0001b", "1"), 1)).isEqualTo(at(2));
    assertThat(seen(dedup, "c", key("\u0001c", "1"), 1)).isEqualTo(at(3));
    assertThat(forgotten).hasValue(1);
  }

  @Test
  void expiryForgetsWhatOutlivedTheWindowWithoutCountingIt() {
    PublishDedup dedup = new PublishDedup(WINDOW, 100, 2, forgotten::incrementAndGet);
    remember(dedup, "c", key("\u0001s", "1"), at(1), 0);
    remember(dedup, "c", key("\u0001s", "2"), at(2), 500);

    dedup.expire(WINDOW);

    assertThat(dedup.size()).isEqualTo(1);
    assertThat(seen(dedup, "c", key("\u0001s", "2"), WINDOW)).isEqualTo(at(2));
    // Its scope lost one too: two more fit before the share forgets anything.
    remember(dedup, "c", key("\u0001s", "3"), at(3), WINDOW);
    assertThat(forgotten).hasValue(0);
    remember(dedup, "c", key("\u0001s", "4"), at(4), WINDOW);
    assertThat(forgotten).hasValue(1);
    assertThat(seen(dedup, "c", key("\u0001s", "2"), WINDOW)).isNull();
  }

  @Test
  void aPublishRememberedAgainAfterItsWindowIsAgedFromThen() {
    PublishDedup dedup = new PublishDedup(WINDOW, 100, 10, forgotten::incrementAndGet);
    remember(dedup, "c", key("\u0001s", "1"), at(1), 0);
    remember(dedup, "c", key("\u0001s", "2"), at(2), 100);
    remember(dedup, "c", key("\u0001s", "1"), at(3), WINDOW);

    dedup.expire(WINDOW + 100);

    assertThat(seen(dedup, "c", key("\u0001s", "2"), WINDOW + 100)).isNull();
    assertThat(seen(dedup, "c", key("\u0001s", "1"), WINDOW + 100)).isEqualTo(at(3));
    assertThat(dedup.size()).isEqualTo(1);
  }

  @Test
  void theScopeIsReadByItsLengthWhateverItsCharacters() {
    String scope = "u:1\u0001ses:ion";

    assertThat(PublishDedup.scopeOf(key(scope, "id:\u00012"))).isEqualTo(scope);
    assertThat(PublishDedup.scopeOf(key("", "x"))).isEmpty();
  }
}
