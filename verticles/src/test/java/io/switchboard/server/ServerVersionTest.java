package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The version the build writes, as the classes of a build read it, and the --version argument. */
class ServerVersionTest {

  @Test
  void theVersionIsTheProjectVersionThePomDeclares() throws Exception {
    // This module's version is its parent's: read from the pom rather than from a system property,
    // which other tests of this JVM clear (ConfigTest drops every switchboard.* property).
    Matcher parent =
        Pattern.compile("<parent>.*?<version>([^<]+)</version>.*?</parent>", Pattern.DOTALL)
            .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(parent.find()).as("the parent's version in pom.xml").isTrue();

    assertThat(ServerVersion.current())
        .isEqualTo(parent.group(1))
        .isNotEqualTo(ServerVersion.UNKNOWN);
  }

  @Test
  void dashDashVersionAsksForTheVersionAndNothingElse() {
    Main.Arguments arguments = Main.parse(new String[] {"--version"});

    assertThat(arguments.version()).isTrue();
    assertThat(arguments.help()).isFalse();
    assertThat(Main.parse(new String[] {"--cluster"}).version()).isFalse();
  }
}
