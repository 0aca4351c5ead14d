package io.switchboard.examples.jvmservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The example service's command line. */
class ServiceOptionsTest {

  @Test
  void withoutArgumentsItLooksForANodeOnThisMachine() {
    ServiceOptions options = ServiceOptions.parse();

    assertThat(options)
        .isEqualTo(
            new ServiceOptions(List.of("127.0.0.1"), "127.0.0.1", 5701, "news", "jvmService"));
  }

  @Test
  void everyArgumentReplacesItsDefault() {
    ServiceOptions options =
        ServiceOptions.parse(
            "--members=10.0.0.5:5701, 10.0.0.6",
            "--host=10.0.0.7",
            "--port=5801",
            "--channel=alerts",
            "--name=billing");

    assertThat(options)
        .isEqualTo(
            new ServiceOptions(
                List.of("10.0.0.5:5701", "10.0.0.6"), "10.0.0.7", 5801, "alerts", "billing"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--port=0        | --port must be a port from 1 to 65535, was 0",
        "--port=70000    | --port must be a port from 1 to 65535, was 70000",
        "--port=http     | --port must be a port from 1 to 65535, was http",
        "--channel=      | --channel must be given as --channel=<value>, was --channel=",
        "--name          | --name must be given as --name=<value>, was --name",
        "--cluster=yes   | unknown argument --cluster=yes",
      })
  void aBadArgumentIsRefusedNamingIt(String argument, String message) {
    assertThatThrownBy(() -> ServiceOptions.parse(argument))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
