package dev.aviary.controller.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The first way in. With {@code aviary.security.bootstrap-token} (AVIARY_BOOTSTRAP_TOKEN) set, the
 * active admin token {@code bootstrap-admin} is that token (a changed value revokes the old one).
 * Otherwise, when no token was ever issued, one is generated, printed this once to standard output
 * and written to {@code bootstrap-token-file} (mode 0600). Replicas starting together take a
 * database lock, so only one of them does it.
 */
@Component
class BootstrapAdmin implements ApplicationRunner {

  static final String NAME = "bootstrap-admin";
  static final String ACTOR = "system:bootstrap";
  private static final Logger LOG = LoggerFactory.getLogger(BootstrapAdmin.class);
  private static final long LOCK = 0x61766961727931L;

  private final ApiTokens tokens;
  private final SecurityProperties properties;
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;

  BootstrapAdmin(
      ApiTokens tokens, SecurityProperties properties, JdbcClient jdbc, TransactionTemplate tx) {
    this.tokens = tokens;
    this.properties = properties;
    this.jdbc = jdbc;
    this.tx = tx;
  }

  @Override
  public void run(ApplicationArguments args) {
    String configured = properties.bootstrapToken();
    if (configured != null && !configured.isBlank()) {
      if (!configured.startsWith(ApiTokens.PREFIX) || configured.length() < 36) {
        throw new IllegalStateException(
            "aviary.security.bootstrap-token must start with avy_ and carry at least 32 more"
                + " characters (for example: echo avy_$(openssl rand -hex 24))");
      }
      boolean changed =
          Boolean.TRUE.equals(
              tx.execute(
                  s -> {
                    lock();
                    return tokens.ensureBootstrap(NAME, configured, ACTOR);
                  }));
      if (changed) {
        LOG.info("The admin token '{}' is now the configured bootstrap token", NAME);
      }
      return;
    }
    Optional<String> issued =
        tx.execute(
            s -> {
              lock();
              if (tokens.anyExist()) {
                return Optional.<String>empty();
              }
              String token = ApiTokens.generate();
              tokens.ensureBootstrap(NAME, token, ACTOR);
              return Optional.of(token);
            });
    if (issued != null && issued.isPresent()) {
      String generated = issued.get();
      Path file = Path.of(properties.bootstrapTokenFile());
      write(file, generated);
      System.out.println(
          "\n  Aviary generated an admin API token. It is shown this once and written to "
              + file.toAbsolutePath().normalize()
              + ":\n\n    "
              + generated
              + "\n\n  Use it with: export AVIARY_TOKEN=\"$(cat "
              + file
              + ")\"\n  or sign in to the dashboard with it: open the controller's address (/)"
              + " in a browser\n");
    }
  }

  private void lock() {
    jdbc.sql("SELECT pg_advisory_xact_lock(:key)").param("key", LOCK).query().singleRow();
  }

  private static void write(Path file, String token) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.deleteIfExists(file);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      }
      Files.writeString(file, token + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the admin token to " + file, e);
    }
  }
}
