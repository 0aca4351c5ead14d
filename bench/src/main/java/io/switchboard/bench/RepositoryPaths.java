package io.switchboard.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds files of this repository (the server's fat jar, the Socket.IO server) from wherever the
 * bench runs: the working directory or one of its parents, else the repository the bench jar was
 * built in ({@code <repo>/bench/target/switchboard-bench.jar}).
 */
final class RepositoryPaths {

  private RepositoryPaths() {}

  /** The first existing {@code root.resolve(relative)}, or the working directory's if none. */
  static Path find(Path relative) {
    for (Path root : roots()) {
      Path candidate = root.resolve(relative);
      if (Files.exists(candidate)) {
        return candidate.normalize();
      }
    }
    return relative.toAbsolutePath();
  }

  private static List<Path> roots() {
    List<Path> roots = new ArrayList<>();
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      roots.add(dir);
    }
    try {
      Path code =
          Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // bench/target/switchboard-bench.jar or bench/target/classes: the repository is 3 up.
      Path repo = code.getParent() == null ? null : code.getParent().getParent();
      if (repo != null && repo.getParent() != null) {
        roots.add(repo.getParent());
      }
    } catch (URISyntaxException | RuntimeException e) {
      // no code source: the working directory is all we have
    }
    return roots;
  }
}
