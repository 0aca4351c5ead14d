package io.switchboard.sdk;

import java.util.List;

/**
 * A channel's kept messages, from {@link SwitchboardClient#history}.
 *
 * @param channel the channel
 * @param position the stream's position when the server answered
 * @param messages the messages, oldest first, each with its {@link ChannelMessage#offset()}
 */
public record History(String channel, StreamPosition position, List<ChannelMessage> messages) {

  public History {
    messages = List.copyOf(messages);
  }
}
