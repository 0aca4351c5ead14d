package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The version the build writes, as the classes of a build read it, and the --version argument. */
class ServerVersionTest {

  @Test
  void theVersionIsTheProjectVersionTheBuildWrote() {
    String built = System.getProperty("switchboard.version");

    assertThat(built).as("the project version (Surefire passes it)").isNotBlank();
    assertThat(ServerVersion.current()).isEqualTo(built).isNotEqualTo(ServerVersion.UNKNOWN);
  }

  @Test
  void dashDashVersionAsksForTheVersionAndNothingElse() {
    Main.Arguments arguments = Main.parse(new String[] {"--version"});

    assertThat(arguments.version()).isTrue();
    assertThat(arguments.help()).isFalse();
    assertThat(Main.parse(new String[] {"--cluster"}).version()).isFalse();
  }
}
