package dev.aviary.controller.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class DatabaseEnvironmentPostProcessorTest {

  private static StandardEnvironment env(Map<String, Object> properties) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("given", properties));
    new DatabaseEnvironmentPostProcessor().postProcessEnvironment(env, new SpringApplication());
    return env;
  }

  @Test
  void aviaryDbVariablesConfigureTheDatasource() {
    // AVIARY_DB_URL, _USERNAME, _PASSWORD reach Spring as aviary.db.* by relaxed binding.
    StandardEnvironment env =
        env(
            Map.of(
                "aviary.db.url",
                "jdbc:postgresql://db:5432/aviary",
                "aviary.db.username",
                "aviary",
                "aviary.db.password",
                "pw"));
    assertThat(env.getProperty("spring.datasource.url"))
        .isEqualTo("jdbc:postgresql://db:5432/aviary");
    assertThat(env.getProperty("spring.datasource.username")).isEqualTo("aviary");
    assertThat(env.getProperty("spring.datasource.password")).isEqualTo("pw");
    assertThat(new NoDatabaseConfigured().matches(new TestConditionContext(env), null)).isFalse();
  }

  @Test
  void springDatasourceSettingsWinAndNoneAtAllMeansEmbedded() {
    StandardEnvironment explicit =
        env(
            Map.of(
                "spring.datasource.url",
                "jdbc:postgresql://a/x",
                "aviary.db.url",
                "jdbc:postgresql://b/y"));
    assertThat(explicit.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://a/x");
    StandardEnvironment none = env(Map.of());
    assertThat(none.getProperty("spring.datasource.url")).isNull();
    assertThat(new NoDatabaseConfigured().matches(new TestConditionContext(none), null)).isTrue();
  }

  /** Just enough of a condition context to hand the condition an environment. */
  private record TestConditionContext(StandardEnvironment env)
      implements org.springframework.context.annotation.ConditionContext {
    @Override
    public org.springframework.beans.factory.support.BeanDefinitionRegistry getRegistry() {
      throw new UnsupportedOperationException();
    }

    @Override
    public org.springframework.beans.factory.config.ConfigurableListableBeanFactory
        getBeanFactory() {
      return null;
    }

    @Override
    public org.springframework.core.env.Environment getEnvironment() {
      return env;
    }

    @Override
    public org.springframework.core.io.ResourceLoader getResourceLoader() {
      return null;
    }

    @Override
    public ClassLoader getClassLoader() {
      return getClass().getClassLoader();
    }
  }
}
