package dev.aviary.controller.platform.db;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Lets {@code AVIARY_DB_URL}, {@code AVIARY_DB_USERNAME} and {@code AVIARY_DB_PASSWORD} (or {@code
 * aviary.db.*}) configure the datasource, unless {@code spring.datasource.*} already does. With
 * neither, {@link EmbeddedDatabaseConfiguration} starts an embedded PostgreSQL.
 */
public class DatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor {

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    if (StringUtils.hasText(env.getProperty("spring.datasource.url"))) {
      return;
    }
    String url = env.getProperty("aviary.db.url");
    if (!StringUtils.hasText(url)) {
      return;
    }
    Map<String, Object> mapped = new LinkedHashMap<>();
    mapped.put("spring.datasource.url", url);
    copy(env, "aviary.db.username", "spring.datasource.username", mapped);
    copy(env, "aviary.db.password", "spring.datasource.password", mapped);
    env.getPropertySources().addFirst(new MapPropertySource("aviaryDatabase", mapped));
  }

  private static void copy(
      ConfigurableEnvironment env, String from, String to, Map<String, Object> into) {
    String value = env.getProperty(from);
    if (value != null) {
      into.put(to, value);
    }
  }
}
