package io.switchboard.examples.jvmservice;

import java.util.Arrays;
import java.util.List;

/**
 * The command line of the example service: {@code --members}, {@code --host}, {@code --port},
 * {@code --channel} and {@code --name}, each as {@code --key=value}; every one has a default that
 * finds a Switchboard node started with the embedded {@code conf/cluster.xml} on this machine.
 *
 * @param members where to look for the cluster (Hazelcast TCP-IP members, {@code host} or {@code
 *     host:port}); a host without a port is tried on the ports from {@code port} to {@code port +
 *     9}
 * @param host the address this service binds and the others reach it at
 * @param port the first Hazelcast port this service tries to bind (the next nine if it is taken)
 * @param channel the channel each line read from stdin is broadcast to
 * @param name the telemetry source's name: its figures appear under {@code data.<name>} of {@code
 *     metrics_update}
 */
record ServiceOptions(List<String> members, String host, int port, String channel, String name) {

  static final String DEFAULT_MEMBERS = "127.0.0.1";
  static final String DEFAULT_HOST = "127.0.0.1";
  static final int DEFAULT_PORT = 5701;
  static final String DEFAULT_CHANNEL = "news";
  static final String DEFAULT_NAME = "jvmService";

  static final String USAGE =
      "usage: java -jar switchboard-example-jvm-service.jar [--members=127.0.0.1[:5701],...]"
          + " [--host=127.0.0.1] [--port=5701] [--channel=news] [--name=jvmService]";

  /**
   * @throws IllegalArgumentException naming the argument and the rule it breaks
   */
  static ServiceOptions parse(String... args) {
    String members = DEFAULT_MEMBERS;
    String host = DEFAULT_HOST;
    String port = String.valueOf(DEFAULT_PORT);
    String channel = DEFAULT_CHANNEL;
    String name = DEFAULT_NAME;
    for (String arg : args) {
      int equals = arg.indexOf('=');
      String key = equals < 0 ? arg : arg.substring(0, equals);
      String value = equals < 0 ? "" : arg.substring(equals + 1);
      if (value.isBlank()) {
        throw new IllegalArgumentException(
            key + " must be given as " + key + "=<value>, was " + arg);
      }
      switch (key) {
        case "--members" -> members = value;
        case "--host" -> host = value;
        case "--port" -> port = value;
        case "--channel" -> channel = value;
        case "--name" -> name = value;
        default -> throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    return new ServiceOptions(
        Arrays.stream(members.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList(),
        host,
        port(port),
        channel,
        name);
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // Answered below, as an out-of-range value is.
    }
    throw new IllegalArgumentException("--port must be a port from 1 to 65535, was " + value);
  }
}
