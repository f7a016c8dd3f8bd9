package dev.aviary.controller.support;

import dev.aviary.testing.TestPostgres;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/** Gives each Spring test context its own fresh database on the test JVM's PostgreSQL. */
public class TestDatabaseInitializer
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    TestPostgres.Database db = TestPostgres.newDatabase();
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(new MapPropertySource("testDatabase", properties(db)));
  }

  public static Map<String, Object> properties(TestPostgres.Database db) {
    return Map.of(
        "spring.datasource.url", db.jdbcUrl(),
        "spring.datasource.username", db.username(),
        "spring.datasource.password", db.password());
  }
}
