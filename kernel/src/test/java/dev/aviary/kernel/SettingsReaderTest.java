package dev.aviary.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsReaderTest {

  @Test
  void collectsEveryViolationWithItsPath() {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r =
        new SettingsReader(
            Map.of(
                "address",
                "ftp://x",
                "timeout",
                "later",
                "weight",
                150,
                "nested",
                Map.of("flag", "yes", "extra", 1),
                "unknown",
                true),
            violations);
    r.httpUrl("address", true);
    r.duration("timeout", Duration.ofSeconds(1));
    r.optionalNumber("weight", 0, 100);
    r.requiredString("name");
    r.object("nested")
        .ifPresent(
            n -> {
              n.bool("flag", false);
              n.rejectUnknown();
            });
    r.rejectUnknown();
    assertThat(violations)
        .extracting(SettingViolation::field)
        .containsExactlyInAnyOrder(
            "address", "timeout", "weight", "name", "nested.flag", "nested.extra", "unknown");
    assertThat(violations)
        .filteredOn(v -> v.field().equals("unknown"))
        .singleElement()
        .extracting(SettingViolation::message)
        .asString()
        .contains("known fields: address, timeout, weight, name, nested");
  }

  @Test
  void aMemberSetToNullIsAbsentAsJsonClientsMeanIt() {
    Map<String, Object> withNulls = new java.util.HashMap<>();
    withNulls.put("name", "checkout");
    withNulls.put("timeout", null);
    withNulls.put("bogus", null);
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(withNulls, violations);
    assertThat(r.duration("timeout", java.time.Duration.ofSeconds(7)))
        .isEqualTo(java.time.Duration.ofSeconds(7));
    assertThat(r.requiredString("name")).isEqualTo("checkout");
    assertThat(r.keys()).containsExactly("name");
    r.rejectUnknown();
    assertThat(violations).isEmpty();
    // immutable maps, which refuse null queries, read as before
    new SettingsReader(Map.of("a", 1), violations).rejectUnknown();
    assertThat(violations).extracting(SettingViolation::field).containsExactly("a");
  }

  @Test
  void secretsAreReferencesNeverLiterals() {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r =
        new SettingsReader(
            Map.of(
                "good", Map.of("env", "PROM_TOKEN"),
                "file", Map.of("file", "/run/secrets/token"),
                "literal", "hunter2",
                "both", Map.of("env", "A", "file", "/b")),
            violations);
    assertThat(r.secret("good", true)).isEqualTo(SecretRef.env("PROM_TOKEN"));
    assertThat(r.secret("file", true)).isEqualTo(SecretRef.file("/run/secrets/token"));
    assertThat(r.secret("literal", true)).isNull();
    assertThat(r.secret("both", true)).isNull();
    assertThat(violations).extracting(SettingViolation::field).containsExactly("literal", "both");
    assertThat(violations.toString()).doesNotContain("hunter2");
  }

  @Test
  void aResolverReadsEnvironmentAndFilesAndNamesOnlyTheReference() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("secret", ".txt");
    java.nio.file.Files.writeString(file, "from-file\n");
    SecretResolver resolver = SecretResolver.fromMap(Map.of("TOKEN", "from-env"));
    assertThat(resolver.resolve(SecretRef.env("TOKEN"))).isEqualTo("from-env");
    assertThat(resolver.resolve(SecretRef.file(file.toString()))).isEqualTo("from-file");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> resolver.resolve(SecretRef.env("MISSING")))
        .hasMessage("secret environment variable MISSING is not set");
  }
}
