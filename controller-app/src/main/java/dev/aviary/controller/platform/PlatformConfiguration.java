package dev.aviary.controller.platform;

import dev.aviary.analysis.judge.Judges;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.MetricProviders;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.OutboundPolicy;
import dev.aviary.kernel.SecretResolver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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

  /** Every judge registered on the class path (META-INF/services). */
  @Bean
  @ConditionalOnMissingBean
  Judges judges() {
    return Judges.discover();
  }

  /**
   * Every provider registered on the class path (META-INF/services), and those the controller
   * itself provides as beans (the parallel-run provider reads the controller's own database).
   */
  @Bean
  @ConditionalOnMissingBean
  MetricProviders metricProviders(List<MetricProviderFactory> builtIn) {
    List<MetricProviderFactory> all = new ArrayList<>(builtIn);
    all.addAll(MetricProviders.discover().factories());
    return new MetricProviders(all);
  }

  @Bean
  @ConditionalOnMissingBean
  ProviderContext providerContext(
      SecretResolver secrets,
      OutboundPolicy outbound,
      @org.springframework.beans.factory.annotation.Value(
              "${aviary.metrics.aws-host-credentials:false}")
          boolean awsHostCredentials) {
    return ProviderContext.of(secrets, outbound).withHostAwsCredentials(awsHostCredentials);
  }
}
