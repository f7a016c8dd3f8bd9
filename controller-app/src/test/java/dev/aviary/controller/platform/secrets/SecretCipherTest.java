package dev.aviary.controller.platform.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.kernel.SecretRef;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.kernel.SecretUnavailableException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

  private static final String KEY_A = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String KEY_B =
      Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

  @Test
  void sealedValuesOpenWithTheKeyAndCarryNoPlaintext() {
    SecretCipher cipher = SecretCipher.of(KEY_A, List.of());
    String sealed = cipher.seal("hunter2-hunter2", "plan a, field b");
    assertThat(sealed)
        .matches("v2:[0-9a-f]{8}:[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+")
        .doesNotContain("hunter2");
    assertThat(cipher.seal("hunter2-hunter2", "plan a, field b"))
        .as("a fresh nonce each time")
        .isNotEqualTo(sealed);
    assertThat(cipher.open(sealed)).contains("hunter2-hunter2");
    assertThat(cipher.openBound(sealed))
        .contains(new SecretCipher.Opened("plan a, field b", "hunter2-hunter2"));
  }

  @Test
  void theBindingIsAuthenticated() {
    SecretCipher cipher = SecretCipher.of(KEY_A, List.of());
    String sealed = cipher.seal("value", "plan a, field b");
    String[] parts = sealed.split(":");
    String rebound =
        parts[0]
            + ":"
            + parts[1]
            + ":"
            + Base64.getUrlEncoder().withoutPadding().encodeToString("plan x, field b".getBytes())
            + ":"
            + parts[3];
    assertThat(cipher.open(rebound)).as("a binding rewritten to another plan").isEmpty();
    assertThat(cipher.open(parts[0] + ":" + parts[1] + ":" + parts[3]))
        .as("the binding dropped")
        .isEmpty();
  }

  @Test
  void valuesSealedBeforeBindingStillOpenUnbound() throws Exception {
    // the v1 form, sealed as the controller did before: AES-GCM with the key id as the only AAD
    byte[] key = new byte[32];
    byte[] nonce = new byte[12];
    javax.crypto.Cipher gcm = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(
        javax.crypto.Cipher.ENCRYPT_MODE,
        new javax.crypto.spec.SecretKeySpec(key, "AES"),
        new javax.crypto.spec.GCMParameterSpec(128, nonce));
    String id =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
    gcm.updateAAD(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    byte[] sealed = gcm.doFinal("old".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] out = new byte[12 + sealed.length];
    System.arraycopy(sealed, 0, out, 12, sealed.length);
    String v1 = "v1:" + id + ":" + Base64.getEncoder().encodeToString(out);
    assertThat(SecretCipher.of(KEY_A, List.of()).openBound(v1))
        .contains(new SecretCipher.Opened(null, "old"));
  }

  @Test
  void anAlteredValueOrAnotherKeyOpensNothing() {
    SecretCipher a = SecretCipher.of(KEY_A, List.of());
    String sealed = a.seal("value", "b");
    String[] parts = sealed.split(":");
    byte[] data = Base64.getDecoder().decode(parts[3]);
    data[data.length - 1] ^= 1;
    String altered =
        parts[0] + ":" + parts[1] + ":" + parts[2] + ":" + Base64.getEncoder().encodeToString(data);
    assertThat(a.open(altered)).isEmpty();
    assertThat(SecretCipher.of(KEY_B, List.of()).open(sealed)).isEmpty();
    assertThat(a.open("v1:zzzz:!!")).isEmpty();
  }

  @Test
  void afterARotationOldValuesStillOpenAndNewOnesUseTheNewKey() {
    String old = SecretCipher.of(KEY_A, List.of()).seal("before", "b");
    SecretCipher rotated = SecretCipher.of(KEY_B, List.of(KEY_A));
    assertThat(rotated.open(old)).contains("before");
    String fresh = rotated.seal("after", "b");
    assertThat(fresh.split(":")[1]).isNotEqualTo(old.split(":")[1]);
    assertThat(SecretCipher.of(KEY_A, List.of()).open(fresh)).isEmpty();
  }

  @Test
  void withoutAKeyNothingIsSealedAndABadKeyIsNamed() {
    assertThat(SecretCipher.of("", List.of()).canSeal()).isFalse();
    assertThatThrownBy(() -> SecretCipher.of("c2hvcnQ=", List.of()))
        .hasMessageContaining("aviary.security.encryption-key must be 32 bytes");
    assertThatThrownBy(() -> SecretCipher.of(KEY_A, List.of("not base64!")))
        .hasMessageContaining("aviary.security.previous-encryption-keys is not base64");
  }

  @Test
  void theResolverOpensSealedValuesAndRefusesAviarysOwnSecrets() {
    SecretCipher cipher = SecretCipher.of(KEY_A, List.of());
    SecretResolver resolver =
        SecretsConfiguration.resolver(
            cipher,
            Map.of("PROM_TOKEN", "t", "AVIARY_DB_PASSWORD", "db", "AVIARY_BOOTSTRAP_TOKEN", "b")
                ::get,
            new SecretFiles(List.of(), List.of()));
    assertThat(resolver.resolve(SecretRef.encrypted(cipher.seal("sealed", "b"))))
        .isEqualTo("sealed");
    assertThat(resolver.resolve(SecretRef.env("PROM_TOKEN"))).isEqualTo("t");
    for (String own :
        List.of("AVIARY_DB_PASSWORD", "AVIARY_BOOTSTRAP_TOKEN", "SPRING_DATASOURCE_PASSWORD")) {
      assertThatThrownBy(() -> resolver.resolve(SecretRef.env(own)))
          .isInstanceOf(SecretUnavailableException.class)
          .hasMessageContaining(own)
          .hasMessageContaining("cannot be referenced")
          .hasMessageNotContaining("db");
    }
    assertThatThrownBy(
            () ->
                resolver.resolve(
                    SecretRef.encrypted(SecretCipher.of(KEY_B, List.of()).seal("x", "b"))))
        .hasMessageContaining("cannot be opened");
  }
}
