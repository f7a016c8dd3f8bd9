package dev.aviary.testing;

/**
 * Credentials tests give the controller: its bootstrap admin token and an encryption key. Fixed
 * values, used only by tests.
 */
public final class TestTokens {

  /** The admin token tests configure as AVIARY_BOOTSTRAP_TOKEN. */
  public static final String ADMIN = "avy_test-bootstrap-admin-token-0123456789abcdef";

  /** A 32-byte AES key (base64) for aviary.security.encryption-key in tests. */
  public static final String ENCRYPTION_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

  private TestTokens() {}
}
