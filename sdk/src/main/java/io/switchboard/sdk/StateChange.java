package io.switchboard.sdk;

import java.util.Objects;

/**
 * A transition of a {@link SwitchboardClient}'s {@link ConnectionState}, passed to {@link
 * SwitchboardClient#onStateChange}. The two states always differ.
 *
 * @param previous the state before the change
 * @param current the state after it, the one {@link SwitchboardClient#state()} now reports
 */
public record StateChange(ConnectionState previous, ConnectionState current) {

  public StateChange {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
  }
}
