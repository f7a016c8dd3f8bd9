package dev.aviary.analysis.metrics.cloudwatch;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.ParsedProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.Parsed;
import java.util.Map;

/** Amazon CloudWatch, over GetMetricData. */
public final class CloudWatchProviderFactory extends ParsedProviderFactory<CloudWatchSettings> {

  public static final String TYPE = "cloudwatch";

  public CloudWatchProviderFactory() {
    super(TYPE);
  }

  @Override
  protected Parsed<CloudWatchSettings> parse(Map<String, ?> settings) {
    return CloudWatchSettings.parse(settings);
  }

  @Override
  protected MetricProvider create(CloudWatchSettings settings, ProviderContext context) {
    return new CloudWatchProvider(settings, context);
  }
}
