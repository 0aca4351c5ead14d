package io.switchboard.server.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Merging the pages of a channel's presence that instances or nodes answered. */
class PresencePagesTest {

  private static JsonObject member(String id) {
    return new JsonObject().put("connectionId", id).put("userId", "u-" + id);
  }

  /** One part's answer: its members after the cursor, at most {@code limit}, and its count. */
  private static JsonObject part(PageRequest page, int count, String... ids) {
    List<JsonObject> members = new ArrayList<>();
    for (String id : ids) {
      members.add(member(id));
    }
    PageRequest.Page<JsonObject> own = page.select(members, m -> m.getString("connectionId"));
    return new JsonObject()
        .put("members", new JsonArray(new ArrayList<>(own.items())))
        .put("more", own.more())
        .put("count", count);
  }

  private static List<String> ids(JsonObject merged) {
    List<String> ids = new ArrayList<>();
    merged
        .getJsonArray("members")
        .forEach(m -> ids.add(((JsonObject) m).getString("connectionId")));
    return ids;
  }

  @Test
  void thePartsPagesMergeIntoTheFirstMembersByIdWithEveryMemberCounted() {
    PageRequest first = new PageRequest(null, 3);
    JsonObject merged =
        PresencePages.merge(
            "room",
            first,
            List.of(part(first, 3, "c", "a", "e"), part(first, 2, "b", "d")).iterator());

    assertThat(merged.getString("channel")).isEqualTo("room");
    assertThat(merged.getInteger("count")).isEqualTo(5);
    assertThat(ids(merged)).containsExactly("a", "b", "c");
    assertThat(merged.getBoolean("more")).isTrue();
    assertThat(merged.getJsonArray("members").getJsonObject(0).getString("userId"))
        .isEqualTo("u-a");
  }

  @Test
  void walkingThePagesListsEveryMemberOnce() {
    List<String> seen = new ArrayList<>();
    String after = null;
    boolean more = true;
    while (more) {
      PageRequest page = new PageRequest(after, 2);
      JsonObject merged =
          PresencePages.merge(
              "room",
              page,
              List.of(part(page, 3, "c", "a", "e"), part(page, 2, "b", "d")).iterator());
      List<String> ids = ids(merged);
      seen.addAll(ids);
      after = ids.get(ids.size() - 1);
      more = merged.getBoolean("more");
    }

    assertThat(seen).containsExactly("a", "b", "c", "d", "e");
  }

  @Test
  void aPartThatStopsShortStillSaysMore() {
    PageRequest page = new PageRequest(null, 2);
    JsonObject merged =
        PresencePages.merge(
            "room", page, List.of(part(page, 3, "a", "b", "c"), part(page, 0)).iterator());

    assertThat(ids(merged)).containsExactly("a", "b");
    assertThat(merged.getBoolean("more")).isTrue();
    assertThat(merged.getInteger("count")).isEqualTo(3);
  }

  @Test
  void noPartsIsAnEmptyPage() {
    JsonObject merged =
        PresencePages.merge("room", new PageRequest(null, 5), List.<JsonObject>of().iterator());

    assertThat(merged.getInteger("count")).isZero();
    assertThat(merged.getJsonArray("members")).isEmpty();
    assertThat(merged.getBoolean("more")).isFalse();
  }
}
