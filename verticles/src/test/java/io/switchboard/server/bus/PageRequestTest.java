package io.switchboard.server.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.server.bus.PageRequest.Page;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageRequestTest {

  @ParameterizedTest(name = "limit {0}")
  @ValueSource(ints = {1, 3, 10, 99, 100, 1000})
  void pagesOfShuffledItemsWalkTheSortedItemsOnceEach(int limit) {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 537; i++) {
      items.add("ws_" + i + "_1700000000000");
    }
    Collections.shuffle(items, new Random(limit));

    List<String> walked = new ArrayList<>();
    String after = null;
    int pages = 0;
    boolean more;
    do {
      Page<String> page = new PageRequest(after, limit).select(items, s -> s);
      assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
      walked.addAll(page.items());
      more = page.more();
      after = page.items().isEmpty() ? after : page.items().get(page.items().size() - 1);
      pages++;
    } while (more);

    assertThat(walked).isEqualTo(items.stream().sorted().toList());
    assertThat(pages).isEqualTo(Math.max(1, (items.size() + limit - 1) / limit));
  }

  @Test
  void theLastFullPageSaysThereIsNoMore() {
    Page<String> page = new PageRequest(null, 3).select(List.of("c", "a", "b"), s -> s);

    assertThat(page).isEqualTo(new Page<>(List.of("a", "b", "c"), false));
  }

  @Test
  void aKeyThatIsGoneStillPlacesThePage() {
    Page<String> page = new PageRequest("b", 2).select(List.of("d", "a", "c", "e"), s -> s);

    assertThat(page).isEqualTo(new Page<>(List.of("c", "d"), true));
  }

  @Test
  void theBusFormRoundTripsAndDefaultsTheLimit() {
    PageRequest request = new PageRequest("x", 7);

    assertThat(PageRequest.from(request.writeTo(new JsonObject()))).isEqualTo(request);
    assertThat(PageRequest.from(new JsonObject())).isEqualTo(new PageRequest(null, 100));
  }

  @ParameterizedTest(name = "limit {0}")
  @ValueSource(ints = {0, -1, 1001})
  void aLimitOutOfRangeIsRefused(int limit) {
    assertThatThrownBy(() -> new PageRequest(null, limit))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be between 1 and 1000, was " + limit);
  }
}
