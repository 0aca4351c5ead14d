package io.switchboard.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;

/**
 * Builds real plugin jars at test time: compiles Java sources against the test class path (with the
 * JDK's compiler) and packs the classes with a {@code META-INF/services} entry. The plugin is then
 * on no class path at all, only in its jar.
 */
public final class PluginJars {

  private PluginJars() {}

  /**
   * Compiles sources into {@code work/classes}.
   *
   * @param sources file name (relative, e.g. {@code com/example/Shout.java}) to source text
   * @return the classes folder
   */
  public static Path compile(Path work, Map<String, String> sources) throws IOException {
    Path src = work.resolve("src");
    Path classes = Files.createDirectories(work.resolve("classes"));
    List<String> arguments =
        new ArrayList<>(
            List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = src.resolve(source.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
      arguments.add(file.toString());
    }
    int status =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, arguments.toArray(String[]::new));
    assertThat(status).as("javac exit status").isZero();
    return classes;
  }

  /**
   * Packs one compiled plugin class into a jar with the services entry naming it.
   *
   * @param className the plugin class, e.g. {@code com.example.shout.ShoutPlugin}
   */
  public static Path jar(Path classes, String className, Path jar) throws IOException {
    return jar(classes, className, jar, List.of("io.switchboard.plugin.MessageTypePlugin"));
  }

  /**
   * Packs one compiled plugin class into a jar with a services entry naming it for each of the
   * given service interfaces, e.g. {@code io.switchboard.plugin.ChannelAuthorizer}.
   */
  public static Path jar(Path classes, String className, Path jar, List<String> services)
      throws IOException {
    return jar(classes, className, jar, services, Map.of(), null);
  }

  /**
   * Packs one compiled plugin class with a services entry for each service interface, these text
   * files (path in the jar, e.g. {@code META-INF/maven/com.example/shout/pom.properties}, to text)
   * and, when not null, this manifest.
   */
  public static Path jar(
      Path classes,
      String className,
      Path jar,
      List<String> services,
      Map<String, String> files,
      Manifest manifest)
      throws IOException {
    String classFile = className.replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out =
            manifest == null ? new JarOutputStream(file) : new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry(classFile));
      out.write(Files.readAllBytes(classes.resolve(classFile)));
      for (String service : services) {
        out.putNextEntry(new JarEntry("META-INF/services/" + service));
        out.write((className + "\n").getBytes(StandardCharsets.UTF_8));
      }
      for (Map.Entry<String, String> text : new java.util.TreeMap<>(files).entrySet()) {
        out.putNextEntry(new JarEntry(text.getKey()));
        out.write(text.getValue().getBytes(StandardCharsets.UTF_8));
      }
    }
    return jar;
  }
}
