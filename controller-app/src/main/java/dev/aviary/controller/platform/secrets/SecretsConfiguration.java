package dev.aviary.controller.platform.secrets;

import dev.aviary.kernel.SecretResolver;
import dev.aviary.kernel.SecretUnavailableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the controller opens secret references: environment variables, files under the directories an
 * admin allows ({@link SecretFiles}), sealed values with the encryption key. Aviary's own secrets
 * (its database password, bootstrap token and encryption key, its data files) can never be
 * referenced from a plan, so no plan author can send them to a metrics backend or router of their
 * choosing.
 */
@Configuration(proxyBeanMethods = false)
class SecretsConfiguration {

  static final Pattern OWN_SECRETS =
      Pattern.compile(
          "AVIARY_(BOOTSTRAP_TOKEN|ENCRYPTION_KEY|PREVIOUS_ENCRYPTION_KEYS|DB_.*)|SPRING_DATASOURCE_.*|AVIARY_SECURITY_.*");

  @Bean
  SecretCipher secretCipher(
      @Value("${aviary.security.encryption-key:}") String key,
      @Value("${aviary.security.previous-encryption-keys:}") List<String> previous) {
    return SecretCipher.of(key, previous);
  }

  @Bean
  SecretFiles secretFiles(
      @Value("${aviary.secrets.file-roots:}") List<String> roots,
      @Value("${aviary.security.bootstrap-token-file:}") String bootstrapTokenFile,
      @Value("${aviary.embedded-db.dir:}") String embeddedDbDir) {
    List<Path> own = new ArrayList<>();
    for (String p : List.of(bootstrapTokenFile, embeddedDbDir)) {
      if (!p.isBlank()) {
        own.add(Path.of(p));
      }
    }
    return new SecretFiles(
        roots.stream().filter(r -> !r.isBlank()).map(String::trim).map(Path::of).toList(), own);
  }

  @Bean
  SecretResolver secretResolver(SecretCipher cipher, SecretFiles files) {
    return resolver(cipher, System::getenv, files);
  }

  /** Whether a plan may reference environment variable {@code name}. */
  static boolean isOwnVariable(String name) {
    return OWN_SECRETS.matcher(name).matches();
  }

  static SecretResolver resolver(
      SecretCipher cipher, Function<String, String> env, SecretFiles files) {
    SecretResolver plain = SecretResolver.from(env);
    return ref -> {
      if (ref.file() != null) {
        return files.read(ref.file());
      }
      if (ref.encrypted() != null) {
        return cipher
            .open(ref.encrypted())
            .orElseThrow(
                () ->
                    new SecretUnavailableException(
                        "an encrypted secret cannot be opened with this controller's keys"));
      }
      if (ref.env() != null && isOwnVariable(ref.env())) {
        throw new SecretUnavailableException(
            "secret " + ref.describe() + " is one of Aviary's own and cannot be referenced");
      }
      return plain.resolve(ref);
    };
  }
}
