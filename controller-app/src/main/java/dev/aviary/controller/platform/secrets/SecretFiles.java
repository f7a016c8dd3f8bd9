package dev.aviary.controller.platform.secrets;

import dev.aviary.kernel.SecretUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which files a plan's {@code {"file": ...}} secret references may name: only files under the
 * directories an admin allows ({@code aviary.secrets.file-roots}; none by default), after every
 * link is resolved, and never Aviary's own (its database, its bootstrap token) nor the kernel's
 * views of a process ({@code /proc}, {@code /sys}, {@code /dev}), whatever the roots say. A plan
 * author is trusted with the credentials an admin mounted for plans, not with the controller's.
 */
final class SecretFiles {

  /** The largest secret file read: a credential, not a document. */
  static final int MAX_BYTES = 64 * 1024;

  private static final List<Path> NEVER =
      List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

  private final List<Path> roots;
  private final List<Path> own;

  /**
   * @param roots the directories whose files plans may reference
   * @param own Aviary's own files and directories, never referable
   */
  SecretFiles(List<Path> roots, List<Path> own) {
    this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    List<Path> never = new ArrayList<>(NEVER);
    for (Path p : own) {
      Path absolute = p.toAbsolutePath().normalize();
      never.add(absolute);
      real(absolute).ifPresent(never::add);
    }
    this.own = List.copyOf(never);
  }

  /** Why a plan may not reference {@code file}, or empty when it may. */
  Optional<String> refusal(String file) {
    Path path;
    try {
      path = Path.of(file);
    } catch (InvalidPathException e) {
      return Optional.of("is not a file path");
    }
    if (!path.isAbsolute()) {
      return Optional.of("must be an absolute file path");
    }
    path = path.normalize();
    if (isOwn(path)) {
      return Optional.of("is one of Aviary's own files, which plans cannot reference");
    }
    if (roots.isEmpty()) {
      return Optional.of(
          "file secrets are off: an admin allows directories for them with"
              + " aviary.secrets.file-roots (AVIARY_SECRETS_FILE_ROOTS)");
    }
    if (under(path, roots).isEmpty()) {
      return Optional.of("is not under a directory allowed for secrets (" + describeRoots() + ")");
    }
    Optional<Path> real = real(path);
    if (real.isPresent()) {
      Path r = real.get();
      if (isOwn(r)) {
        return Optional.of("leads to one of Aviary's own files, which plans cannot reference");
      }
      List<Path> realRoots = roots.stream().flatMap(root -> real(root).stream()).toList();
      if (under(r, realRoots).isEmpty()) {
        return Optional.of(
            "leads through a link to outside the directories allowed for secrets ("
                + describeRoots()
                + ")");
      }
    }
    return Optional.empty();
  }

  /**
   * The file's content, trailing whitespace removed.
   *
   * @throws SecretUnavailableException naming the file (never its content) when it may not be
   *     referenced or cannot be read
   */
  String read(String file) {
    Optional<String> refused = refusal(file);
    if (refused.isPresent()) {
      throw new SecretUnavailableException("secret file " + file + " " + refused.get());
    }
    Path real =
        real(Path.of(file))
            .orElseThrow(
                () -> new SecretUnavailableException("secret file " + file + " does not exist"));
    try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
      byte[] content = in.readNBytes(MAX_BYTES + 1);
      if (content.length > MAX_BYTES) {
        throw new SecretUnavailableException(
            "secret file " + file + " is larger than " + MAX_BYTES + " bytes");
      }
      return new String(content, StandardCharsets.UTF_8).stripTrailing();
    } catch (IOException e) {
      throw new SecretUnavailableException(
          "secret file " + file + " cannot be read: " + e.getClass().getSimpleName());
    }
  }

  private boolean isOwn(Path path) {
    return under(path, own).isPresent();
  }

  private static Optional<Path> under(Path path, List<Path> dirs) {
    return dirs.stream().filter(path::startsWith).findFirst();
  }

  private static Optional<Path> real(Path path) {
    try {
      return Optional.of(path.toRealPath());
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  private String describeRoots() {
    return roots.stream()
        .map(Path::toString)
        .collect(Collectors.joining(", ", "aviary.secrets.file-roots: ", ""));
  }
}
