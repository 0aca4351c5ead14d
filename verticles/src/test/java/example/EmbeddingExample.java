package example;

import io.switchboard.sdk.ChannelMessage;
import io.switchboard.sdk.ClientOptions;
import io.switchboard.sdk.ReconnectMode;
import io.switchboard.sdk.SendResult;
import io.switchboard.sdk.SwitchboardClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An application that does not use Vert.x: it chats on a channel through the SDK. */
public final class EmbeddingExample {

  public static void main(String[] args) throws Exception {
    System.out.println(chat(args.length > 0 ? args[0] : "ws://localhost:8080/ws"));
  }

  /** Joins {@code chat:lobby}, says hello, and answers the first message it reads there. */
  public static String chat(String url) throws Exception {
    SwitchboardClient client =
        SwitchboardClient.create(
            new ClientOptions()
                .setUrl(url)
                .setReconnectMode(ReconnectMode.STATEFUL)
                .setMaxReconnectAttempts(20)
                .setAuthToken(() -> Future.succeededFuture(System.getenv("SWITCHBOARD_TOKEN"))));
    client
        .onStateChange(change -> System.out.println("switchboard: " + change.current()))
        .onReconnect(
            next ->
                System.out.println(
                    "switchboard: attempt " + next.attempt() + " in " + next.delayMs() + " ms"))
        .onError(error -> System.err.println("switchboard: " + error.getMessage()));

    // A plain thread waits with a timeout: TimeoutException when it is up, else the failure.
    CompletableFuture<ChannelMessage> first = new CompletableFuture<>();
    try {
      client.connect().await(30, TimeUnit.SECONDS);
      client.join("chat:lobby", first::complete).await(10, TimeUnit.SECONDS);

      SendResult published =
          client
              .publish("chat:lobby", new JsonObject().put("text", "hello"))
              .await(10, TimeUnit.SECONDS);
      if (!published.success()) {
        System.err.println("not published: " + published.reason());
      }

      ChannelMessage message = first.get(10, TimeUnit.SECONDS);
      System.out.println("sent " + client.metrics().messagesSent() + " frames");
      return ((JsonObject) message.data()).getString("text");
    } finally {
      // Also closes the Vert.x instance the client created, whether or not all went well.
      client.disconnect().await(10, TimeUnit.SECONDS);
    }
  }
}
