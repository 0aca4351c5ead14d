package io.switchboard.sdk;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records everything a client's handlers are told, for assertions from the test thread. */
final class ClientEvents {

  final List<StateChange> stateChanges = new CopyOnWriteArrayList<>();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();
  final List<ReconnectAttempt> reconnects = new CopyOnWriteArrayList<>();
  final List<JsonObject> messages = new CopyOnWriteArrayList<>();
  final List<Resync> resyncs = new CopyOnWriteArrayList<>();
  final AtomicInteger connected = new AtomicInteger();

  static ClientEvents of(SwitchboardClient client) {
    ClientEvents events = new ClientEvents();
    client
        .onStateChange(events.stateChanges::add)
        .onError(events.errors::add)
        .onReconnect(events.reconnects::add)
        .onMessage(events.messages::add)
        .onResync(events.resyncs::add)
        .onConnected(v -> events.connected.incrementAndGet());
    return events;
  }

  /** The states entered, in order, starting with the first state left. */
  List<ConnectionState> states() {
    List<ConnectionState> states = new ArrayList<>();
    for (StateChange change : stateChanges) {
      if (states.isEmpty()) {
        states.add(change.previous());
      }
      states.add(change.current());
    }
    return states;
  }

  List<String> errorMessages() {
    return errors.stream().map(Throwable::getMessage).toList();
  }

  /** The frames of one type the application was given. */
  List<JsonObject> messagesOfType(String type) {
    return messages.stream().filter(m -> type.equals(m.getString("type"))).toList();
  }
}
