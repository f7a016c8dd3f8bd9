package dev.aviary.controller.platform.secrets;

import dev.aviary.kernel.SecretResolver;
import dev.aviary.kernel.SecretUnavailableException;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the controller opens secret references: environment variables and files as the engine does,
 * sealed values with the encryption key. Aviary's own secrets (its database password, bootstrap
 * token and encryption key) can never be referenced from a plan, so no plan author can send them to
 * a metrics backend or router of their choosing.
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
  SecretResolver secretResolver(SecretCipher cipher) {
    return resolver(cipher, System::getenv);
  }

  static SecretResolver resolver(SecretCipher cipher, Function<String, String> env) {
    SecretResolver plain = SecretResolver.from(env);
    return ref -> {
      if (ref.encrypted() != null) {
        return cipher
            .open(ref.encrypted())
            .orElseThrow(
                () ->
                    new SecretUnavailableException(
                        "an encrypted secret cannot be opened with this controller's keys"));
      }
      if (ref.env() != null && OWN_SECRETS.matcher(ref.env()).matches()) {
        throw new SecretUnavailableException(
            "secret " + ref.describe() + " is one of Aviary's own and cannot be referenced");
      }
      return plain.resolve(ref);
    };
  }
}
