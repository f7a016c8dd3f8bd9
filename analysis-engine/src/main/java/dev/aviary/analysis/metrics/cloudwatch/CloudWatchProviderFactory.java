package dev.aviary.analysis.metrics.cloudwatch;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.SettingViolation;
import java.util.List;
import java.util.Map;

/** Amazon CloudWatch, over GetMetricData. */
public final class CloudWatchProviderFactory implements MetricProviderFactory {

  public static final String TYPE = "cloudwatch";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<SettingViolation> validate(Map<String, ?> settings) {
    return CloudWatchSettings.parse(settings).violations();
  }

  @Override
  public MetricProvider create(Map<String, ?> settings, ProviderContext context) {
    return new CloudWatchProvider(
        CloudWatchSettings.parse(settings).orThrow("cloudwatch settings"), context);
  }
}
