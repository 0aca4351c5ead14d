package io.switchboard.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.plugin.PluginVersion.Coordinates;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which {@code pom.properties} of a plugin's jar is the plugin's own. */
class PluginVersionTest {

  private static final Coordinates SHOUT = new Coordinates("com.example", "shout", "1.4.2");
  private static final Coordinates BUNDLED = new Coordinates("org.acme", "lib", "9.9.9");

  @Test
  void theOnlyMetadataOfAJarIsThePlugins() {
    assertThat(PluginVersion.choose(List.of(SHOUT), "org.elsewhere")).isEqualTo(SHOUT);
  }

  @Test
  void inAShadedJarTheGroupThePluginsPackageIsInWins() {
    assertThat(PluginVersion.choose(List.of(BUNDLED, SHOUT), "com.example.shout")).isEqualTo(SHOUT);
    assertThat(PluginVersion.choose(List.of(SHOUT, BUNDLED), "com.example")).isEqualTo(SHOUT);
  }

  @Test
  void theLongestGroupWinsAndATieOrNoMatchLeavesTheVersionUnknown() {
    Coordinates parent = new Coordinates("com", "all", "1");

    assertThat(PluginVersion.choose(List.of(parent, SHOUT), "com.example.shout")).isEqualTo(SHOUT);
    assertThat(
            PluginVersion.choose(
                List.of(SHOUT, new Coordinates("com.example", "other", "2")), "com.example.x"))
        .isNull();
    assertThat(PluginVersion.choose(List.of(SHOUT, BUNDLED), "net.other")).isNull();
    assertThat(PluginVersion.choose(List.of(), "com.example")).isNull();
  }

  @Test
  void aBundledJarsVersionIsNeverTakenForThePlugins() {
    Coordinates unversioned = new Coordinates("com.example", "shout", null);

    assertThat(PluginVersion.choose(List.of(unversioned, BUNDLED), "com.example"))
        .isEqualTo(unversioned);
  }
}
