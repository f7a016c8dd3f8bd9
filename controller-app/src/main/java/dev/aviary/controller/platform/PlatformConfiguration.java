package dev.aviary.controller.platform;

import dev.aviary.analysis.metrics.MetricProviders;
import dev.aviary.kernel.SecretResolver;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Shared infrastructure beans: time and the engine's metric providers. */
@Configuration(proxyBeanMethods = false)
class PlatformConfiguration {

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  @ConditionalOnMissingBean
  MetricProviders metricProviders(SecretResolver secrets) {
    return MetricProviders.builtIn(secrets);
  }
}
