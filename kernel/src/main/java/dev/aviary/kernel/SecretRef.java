package dev.aviary.kernel;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where a credential lives: an environment variable of the controller, a file it can read (a
 * mounted Kubernetes Secret, say), or a value sealed with the controller's encryption key. Plans
 * hold only these, never the values in the clear.
 *
 * @param env the name of an environment variable, or null
 * @param file the path of a file whose content (trailing newline removed) is the secret, or null
 * @param encrypted the sealed value ({@code v1:<key id>:<base64>}) that only the controller's key
 *     opens, or null
 */
public record SecretRef(@Nullable String env, @Nullable String file, @Nullable String encrypted) {

  public SecretRef {
    int named = (env == null ? 0 : 1) + (file == null ? 0 : 1) + (encrypted == null ? 0 : 1);
    if (named != 1) {
      throw new IllegalArgumentException(
          "a secret reference names exactly one of env, file or encrypted");
    }
  }

  public static SecretRef env(String name) {
    return new SecretRef(name, null, null);
  }

  public static SecretRef file(String path) {
    return new SecretRef(null, path, null);
  }

  public static SecretRef encrypted(String sealed) {
    return new SecretRef(null, null, sealed);
  }

  /** The reference as it is written in a plan: {@code {"env": ...}}, {@code {"file": ...}}, ... */
  public Map<String, Object> toDocument() {
    return env != null
        ? Map.of("env", env)
        : file != null ? Map.of("file", file) : Map.of("encrypted", encrypted);
  }

  /** How to name this reference in a message: never the value. */
  public String describe() {
    return env != null
        ? "environment variable " + env
        : file != null ? "file " + file : "encrypted value";
  }

  @Override
  public String toString() {
    return "SecretRef[" + describe() + "]";
  }
}
