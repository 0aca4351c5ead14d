package io.switchboard.bench.client;

/**
 * Socket.IO 4 over Engine.IO v4 on a plain WebSocket, for the {@code socketio} target: the server
 * opens with {@code 0{...}}, the client connects with {@code 40} and is ready at {@code 40{...}};
 * {@code join} asks for an acknowledgement, {@code publish} does not; server pings are answered
 * with a pong. Frames are classified by their first two bytes.
 */
public final class EngineIoWire implements Wire {

  public static final String NAME = "engine.io";

  /** Every join asks for acknowledgement 0: a socket joins one channel, once. */
  private static final long JOIN_ACK = 0;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String path() {
    return "/socket.io/?EIO=4&transport=websocket";
  }

  @Override
  public Kind kind(byte[] frame) {
    if (frame.length == 0) {
      return Kind.OTHER;
    }
    switch (frame[0]) {
      case EngineIo.OPEN:
        return Kind.OPENING;
      case EngineIo.PING:
        return Kind.PING;
      case EngineIo.MESSAGE:
        break;
      default:
        return Kind.OTHER;
    }
    if (frame.length < 2) {
      return Kind.OTHER;
    }
    return switch (frame[1]) {
      case EngineIo.EVENT -> Kind.MESSAGE;
      case EngineIo.CONNECT -> Kind.WELCOME;
      case EngineIo.ACK -> Kind.JOINED;
      case EngineIo.CONNECT_ERROR -> Kind.ERROR;
      default -> Kind.OTHER;
    };
  }

  @Override
  public String replyTo(Kind kind) {
    return switch (kind) {
      case OPENING -> EngineIo.CONNECT_PACKET;
      case PING -> EngineIo.PONG_PACKET;
      default -> null;
    };
  }

  /** None: the Engine.IO server pings and the client answers. */
  @Override
  public String keepAlive() {
    return null;
  }

  @Override
  public String join(String channel) {
    return EngineIo.event("join", EngineIo.jsonString(channel), JOIN_ACK);
  }

  @Override
  public String publish(String channel, String json) {
    return EngineIo.event(
        "publish", "{\"channel\":" + EngineIo.jsonString(channel) + ",\"data\":" + json + "}");
  }
}
