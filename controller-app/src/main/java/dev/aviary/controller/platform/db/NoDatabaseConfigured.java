package dev.aviary.controller.platform.db;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/** True when no {@code spring.datasource.url} (nor {@code AVIARY_DB_URL}) names a database. */
class NoDatabaseConfigured implements Condition {

  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
  }
}
