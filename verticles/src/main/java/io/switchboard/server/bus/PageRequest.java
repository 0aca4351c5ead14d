package io.switchboard.server.bus;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * One page of a listing, as the admin API asks for it over the bus: the items whose key comes after
 * {@code after} in string order (all of them when it is null), at most {@code limit}. Whoever holds
 * the data answers it with {@link #select}, so that a page costs work in proportion to its size,
 * not to the number of items held.
 *
 * <p>On the bus: {@code "after"} and {@code "limit"} beside the request's other fields.
 *
 * @param after the key of the last item of the previous page, or null for the first page
 * @param limit the most items the page may hold, at least 1
 */
public record PageRequest(String after, int limit) {

  /** The page size when a request names none. */
  public static final int DEFAULT_LIMIT = 100;

  /** The largest page the admin API hands out. */
  public static final int MAX_LIMIT = 1000;

  public PageRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
  }

  /**
   * The items of one page, in key order.
   *
   * @param more whether items come after the last one
   */
  public record Page<T>(List<T> items, boolean more) {}

  /** The page a bus request asks for; without a {@code limit}, {@link #DEFAULT_LIMIT}. */
  public static PageRequest from(JsonObject request) {
    return new PageRequest(request.getString("after"), request.getInteger("limit", DEFAULT_LIMIT));
  }

  /** Adds this page's fields to a bus request. */
  public JsonObject writeTo(JsonObject request) {
    return request.put("after", after).put("limit", limit);
  }

  /**
   * The page out of {@code items}: one pass keeping the {@code limit + 1} smallest keys after
   * {@link #after()} in a bounded heap, so only the page's own items are ever handed on.
   *
   * @param key an item's key: unique among the items, and stable between pages
   */
  public <T> Page<T> select(Iterable<T> items, Function<? super T, String> key) {
    Comparator<T> byKey = Comparator.comparing(key);
    PriorityQueue<T> largestFirst = new PriorityQueue<>(limit + 1, byKey.reversed());
    for (T item : items) {
      String k = key.apply(item);
      if (after != null && k.compareTo(after) <= 0) {
        continue;
      }
      if (largestFirst.size() <= limit) {
        largestFirst.add(item);
      } else if (k.compareTo(key.apply(largestFirst.peek())) < 0) {
        largestFirst.poll();
        largestFirst.add(item);
      }
    }
    List<T> sorted = new ArrayList<>(largestFirst);
    sorted.sort(byKey);
    boolean more = sorted.size() > limit;
    return new Page<>(more ? List.copyOf(sorted.subList(0, limit)) : List.copyOf(sorted), more);
  }
}
