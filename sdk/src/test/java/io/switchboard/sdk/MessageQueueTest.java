package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store-and-forward queue: bounds, order, in-flight messages, retries. */
class MessageQueueTest {

  @Test
  void messagesComeOutHighestPriorityFirstAndOldestFirstWithinAPriority() {
    MessageQueue<String> queue = MessageQueue.create(10, 0);
    queue.enqueue("low-1", 0);
    queue.enqueue("high-1", 5);
    queue.enqueue("low-2", 0);
    queue.enqueue("high-2", 5);
    queue.enqueue("mid", 1);

    assertThat(drain(queue)).containsExactly("high-1", "high-2", "mid", "low-1", "low-2");
  }

  @Test
  void aFullQueueRefusesWithTheSendResultReason() {
    MessageQueue<String> queue = MessageQueue.create(2, 0);
    queue.enqueue("a", 0);
    queue.enqueue("b", 0);

    assertThat(queue.isFull()).isTrue();
    assertThatThrownBy(() -> queue.enqueue("c", 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Message queue full (2 messages)");
  }

  @Test
  void inFlightMessagesCountTowardsTheBoundUntilRemoved() {
    MessageQueue<String> queue = MessageQueue.create(1, 0);
    queue.enqueue("a", 0);
    MessageQueue.Entry<String> entry = queue.dequeue();

    assertThat(queue.dequeue()).as("not handed out twice").isNull();
    assertThat(queue.isFull()).isTrue();
    assertThat(queue.remove(entry.id())).isTrue();
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.remove(entry.id())).as("removed once").isFalse();
  }

  @Test
  void aFailedMessageGoesBackToItsPlaceUntilItsRetriesAreUsedThenItIsReported() {
    MessageQueue<String> queue = MessageQueue.create(10, 2);
    List<MessageQueue.Entry<String>> reported = new ArrayList<>();
    queue.failedHandler(reported::add);
    String first = queue.enqueue("first", 0);
    queue.enqueue("second", 0);

    for (int failure = 1; failure <= 2; failure++) {
      MessageQueue.Entry<String> next = queue.dequeue();
      assertThat(next.id()).as("retry %d comes first again", failure).isEqualTo(first);
      assertThat(next.failures()).isEqualTo(failure - 1);
      assertThat(queue.markFailed(first)).as("retried after failure %d", failure).isTrue();
    }
    assertThat(queue.dequeue().id()).isEqualTo(first);
    assertThat(queue.markFailed(first)).as("third failure is the last").isFalse();

    assertThat(reported)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.data()).isEqualTo("first");
              assertThat(e.failures()).isEqualTo(3);
            });
    assertThat(drain(queue)).containsExactly("second");
  }

  @Test
  void withNoRetriesTheFirstFailureIsReported() {
    MessageQueue<String> queue = MessageQueue.create(10, 0);
    List<String> reported = new ArrayList<>();
    queue.failedHandler(e -> reported.add(e.data()));
    String id = queue.enqueue("only", 0);
    queue.dequeue();

    assertThat(queue.markFailed(id)).isFalse();

    assertThat(reported).containsExactly("only");
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void onlyInFlightMessagesCanBeMarkedFailed() {
    MessageQueue<String> queue = MessageQueue.create(10, 3);
    String id = queue.enqueue("waiting", 0);

    assertThat(queue.markFailed(id)).isFalse();
    assertThat(queue.markFailed("no-such-id")).isFalse();
    assertThat(queue.size()).isEqualTo(1);
  }

  @Test
  void removingAWaitingMessageTakesItOutOfLine() {
    MessageQueue<String> queue = MessageQueue.create(10, 0);
    queue.enqueue("a", 0);
    String b = queue.enqueue("b", 0);
    queue.enqueue("c", 0);

    assertThat(queue.remove(b)).isTrue();

    assertThat(drain(queue)).containsExactly("a", "c");
  }

  @Test
  void clearAnswersEverythingInQueueOrderAndEmptiesTheQueue() {
    MessageQueue<String> queue = MessageQueue.create(10, 0);
    queue.enqueue("a", 0);
    queue.enqueue("b", 1);
    queue.dequeue();
    queue.enqueue("c", 0);

    assertThat(queue.clear()).containsExactly("b", "a", "c");
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.dequeue()).isNull();
  }

  @Test
  void idsAreUnique() {
    MessageQueue<Integer> queue = MessageQueue.create(1000, 0);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(queue.enqueue(i, i % 3));
    }

    assertThat(ids).doesNotHaveDuplicates();
  }

  @Test
  void boundsAreChecked() {
    assertThatThrownBy(() -> MessageQueue.create(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxSize must be >= 1, was 0");
    assertThatThrownBy(() -> MessageQueue.create(1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxRetries must be >= 0, was -1");
  }

  private static <T> List<T> drain(MessageQueue<T> queue) {
    List<T> out = new ArrayList<>();
    for (MessageQueue.Entry<T> next = queue.dequeue(); next != null; next = queue.dequeue()) {
      out.add(next.data());
      queue.remove(next.id());
    }
    return out;
  }
}
