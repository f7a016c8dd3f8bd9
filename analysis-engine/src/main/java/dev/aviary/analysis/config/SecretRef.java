package dev.aviary.analysis.config;

/**
 * Where a credential lives: an environment variable of the controller or a file it can read (a
 * mounted Kubernetes Secret, say). Plans hold only these references, never the values.
 *
 * @param env the name of an environment variable, or null
 * @param file the path of a file whose content (trailing newline removed) is the secret, or null
 */
public record SecretRef(String env, String file) {

  public SecretRef {
    if ((env == null) == (file == null)) {
      throw new IllegalArgumentException("a secret reference names exactly one of env or file");
    }
  }

  public static SecretRef env(String name) {
    return new SecretRef(name, null);
  }

  public static SecretRef file(String path) {
    return new SecretRef(null, path);
  }

  /** How to name this reference in a message: never the value. */
  public String describe() {
    return env != null ? "environment variable " + env : "file " + file;
  }

  @Override
  public String toString() {
    return "SecretRef[" + describe() + "]";
  }
}
