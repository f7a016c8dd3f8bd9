package dev.aviary.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/** Turns a {@link SecretRef} into its value at the moment it is needed. */
@FunctionalInterface
public interface SecretResolver {

  /**
   * The secret's value.
   *
   * @throws SecretUnavailableException naming the reference (never a value) when it cannot be read
   */
  String resolve(SecretRef ref);

  /** Reads environment variables from the process and files from disk. */
  static SecretResolver fromEnvironment() {
    return from(System::getenv);
  }

  /** Reads environment variables through {@code env} (a map in tests) and files from disk. */
  static SecretResolver from(Function<String, String> env) {
    return ref -> {
      if (ref.encrypted() != null) {
        throw new SecretUnavailableException(
            "secret " + ref.describe() + " can only be opened by the controller's encryption key");
      }
      if (ref.env() != null) {
        String value = env.apply(ref.env());
        if (value == null) {
          throw new SecretUnavailableException("secret " + ref.describe() + " is not set");
        }
        return value;
      }
      try {
        return Files.readString(Path.of(ref.file())).stripTrailing();
      } catch (IOException e) {
        throw new SecretUnavailableException(
            "secret " + ref.describe() + " cannot be read: " + e.getClass().getSimpleName());
      }
    };
  }

  /** Environment variables from a fixed map; files from disk. */
  static SecretResolver fromMap(Map<String, String> env) {
    return from(env::get);
  }
}
