package dev.aviary.controller.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Zero-configuration start: when no database is configured, run a real PostgreSQL (zonky's embedded
 * binaries) whose data lives in {@code aviary.embedded-db.dir} (default {@code ./.aviary/pg}), so
 * that a restart loses nothing. Meant for trying Aviary and for one instance; several replicas need
 * a shared PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatabaseConfigured.class)
class EmbeddedDatabaseConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres(
      @Value("${aviary.embedded-db.dir:./.aviary/pg}") String dir,
      @Value("${aviary.embedded-db.port:0}") int port) {
    Path dataDir = Path.of(dir).toAbsolutePath().normalize();
    try {
      Files.createDirectories(dataDir);
      OrphanedPostgres.reclaim(dataDir);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false);
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres pg = builder.start();
      LOG.info(
          "No database configured (AVIARY_DB_URL or spring.datasource.url): started an embedded"
              + " PostgreSQL on port {} with its data in {}",
          pg.getPort(),
          dataDir);
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDir, e);
    }
  }

  @Bean(destroyMethod = "close")
  HikariDataSource dataSource(EmbeddedPostgres pg) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:postgresql://localhost:" + pg.getPort() + "/postgres");
    config.setUsername("postgres");
    config.setPassword("postgres");
    config.setMaximumPoolSize(20);
    config.setPoolName("aviary-embedded");
    return new HikariDataSource(config);
  }
}
