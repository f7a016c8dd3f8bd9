package dev.aviary.analysis.metrics.cloudwatch;

import dev.aviary.analysis.metrics.http.AwsAuth;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a CloudWatch provider.
 *
 * <pre>{@code
 * "region": "eu-west-1",
 * "auth": {"roleArn": "arn:aws:iam::123456789012:role/aviary-read"},   // optional: default chain
 * "period": "60s", "delay": "3m", "timeout": "10s",
 * "endpoint": "https://monitoring.eu-west-1.amazonaws.com"            // optional: a VPC endpoint
 * }</pre>
 *
 * @param aws region and credentials
 * @param endpoint the API's address when not the region's public one
 * @param period the resolution series are read at, and the unit a window's count is summed from
 * @param delay how far behind the window's end data may still arrive
 * @param timeout per call
 */
record CloudWatchSettings(
    AwsAuth aws, @Nullable URI endpoint, Duration period, Duration delay, Duration timeout) {

  static Parsed<CloudWatchSettings> parse(Map<String, ?> raw) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(raw, violations);
    String region = r.requiredString("region");
    URI endpoint = r.httpUrl("endpoint", false);
    Duration period = r.duration("period", Duration.ofMinutes(1));
    long seconds = period.toSeconds();
    if (period.toMillis() % 1000 != 0
        || !(seconds == 1 || seconds == 5 || seconds == 10 || seconds == 30 || seconds % 60 == 0)) {
      r.violation("period", "must be 1s, 5s, 10s, 30s (high-resolution metrics) or whole minutes");
    }
    Duration delay = r.duration("delay", Duration.ZERO, true);
    Duration timeout = r.duration("timeout", Duration.ofSeconds(10));
    if (timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      r.violation("timeout", "must not exceed 5m");
    }
    Optional<SettingsReader> auth = r.object("auth");
    AwsAuth aws;
    if (auth.isPresent()) {
      aws = AwsAuth.read(auth.get(), region == null ? "us-east-1" : region);
      auth.get().rejectUnknown();
    } else {
      aws = new AwsAuth(region == null ? "us-east-1" : region, null, null, null, null, null, null);
    }
    if (region != null && !region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
      r.violation("region", "must be an AWS region such as eu-west-1");
    }
    r.rejectUnknown();
    return aws == null || region == null
        ? Parsed.of(null, violations)
        : Parsed.of(new CloudWatchSettings(aws, endpoint, period, delay, timeout), violations);
  }
}
