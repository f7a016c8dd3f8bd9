package dev.aviary.controller.platform.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Seals credentials given in the clear with AES-256-GCM under the key from configuration ({@code
 * aviary.security.encryption-key}, 32 bytes in base64). A sealed value reads {@code v2:<key
 * id>:<base64url(binding)>:<base64(nonce | ciphertext | tag)>}: the key id (first 8 hex digits of
 * the key's SHA-256) lets an older key, kept in {@code previous-encryption-keys}, open values
 * sealed before a rotation, and the binding names where the value belongs (a plan and a field).
 * Both are associated data: altering either fails authentication, so a value copied into another
 * plan still names the plan it was sealed for, and is refused there ({@link SecretSealer}). New
 * values are always sealed with the current key. Values of the older, unbound form {@code v1:<key
 * id>:<data>} still open.
 */
public final class SecretCipher {

  private static final String UNBOUND = "v1";
  private static final String BOUND = "v2";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecureRandom random = new SecureRandom();
  private final @Nullable String currentId;
  private final Map<String, SecretKeySpec> keys;

  private SecretCipher(@Nullable String currentId, Map<String, SecretKeySpec> keys) {
    this.currentId = currentId;
    this.keys = keys;
  }

  /**
   * The cipher for {@code current} (may be blank: then nothing can be sealed) and the older keys.
   *
   * @throws IllegalArgumentException naming the property whose value is not a 32-byte base64 key
   */
  public static SecretCipher of(@Nullable String current, List<String> previous) {
    Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    String currentId = null;
    if (current != null && !current.isBlank()) {
      SecretKeySpec key = parse(current, "aviary.security.encryption-key");
      currentId = id(key);
      keys.put(currentId, key);
    }
    for (String old : previous) {
      if (old != null && !old.isBlank()) {
        SecretKeySpec key = parse(old, "aviary.security.previous-encryption-keys");
        keys.putIfAbsent(id(key), key);
      }
    }
    return new SecretCipher(currentId, Map.copyOf(keys));
  }

  /** Whether a current key is configured, so that plaintext secrets can be accepted. */
  public boolean canSeal() {
    return currentId != null;
  }

  /** A value opened: its plaintext, and where it was sealed for (null for the unbound form). */
  public record Opened(@Nullable String binding, String plaintext) {}

  /** Seals {@code plaintext} under the current key, bound to {@code binding}. */
  public String seal(String plaintext, String binding) {
    if (currentId == null) {
      throw new IllegalStateException("no encryption key is configured");
    }
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
      String head =
          BOUND
              + ":"
              + currentId
              + ":"
              + Base64.getUrlEncoder()
                  .withoutPadding()
                  .encodeToString(binding.getBytes(StandardCharsets.UTF_8));
      cipher.updateAAD(head.getBytes(StandardCharsets.US_ASCII));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[nonce.length + sealed.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
      return head + ":" + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /** The plaintext, or empty when no configured key opens {@code sealed} (or it was altered). */
  public Optional<String> open(String sealed) {
    return openBound(sealed).map(Opened::plaintext);
  }

  /**
   * The plaintext and its binding, or empty when no configured key opens {@code sealed} (or any
   * part of it was altered).
   */
  public Optional<Opened> openBound(String sealed) {
    String[] parts = sealed.split(":", -1);
    String aad;
    String data;
    String binding;
    if (parts.length == 3 && parts[0].equals(UNBOUND)) {
      aad = parts[1];
      data = parts[2];
      binding = null;
    } else if (parts.length == 4 && parts[0].equals(BOUND)) {
      aad = parts[0] + ":" + parts[1] + ":" + parts[2];
      data = parts[3];
      try {
        binding = new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    } else {
      return Optional.empty();
    }
    SecretKeySpec key = keys.get(parts[1]);
    if (key == null) {
      return Optional.empty();
    }
    try {
      byte[] in = Base64.getDecoder().decode(data);
      if (in.length <= NONCE_BYTES) {
        return Optional.empty();
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(aad.getBytes(StandardCharsets.US_ASCII));
      byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
      return Optional.of(new Opened(binding, new String(plain, StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  private static SecretKeySpec parse(String base64, String property) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(property + " is not base64");
    }
    if (raw.length != 32) {
      throw new IllegalArgumentException(
          property + " must be 32 bytes (base64 of 32 random bytes: openssl rand -base64 32)");
    }
    return new SecretKeySpec(raw, "AES");
  }

  private static String id(SecretKeySpec key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
