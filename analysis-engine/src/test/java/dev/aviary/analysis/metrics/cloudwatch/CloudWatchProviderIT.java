package dev.aviary.analysis.metrics.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.analysis.metrics.MetricData;
import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderContract;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.testing.CloudWatchContractServer;
import dev.aviary.testing.SigV4Verifier;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code cloudwatch} provider — the AWS SDK v2's CloudWatch client over the guarded JDK HTTP
 * client — against {@link CloudWatchContractServer}, a stand-in that follows CloudWatch's and STS's
 * published APIs and checks every Signature Version 4 independently of the SDK (no AWS emulator can
 * be installed here: moto and LocalStack come from PyPI, which this machine cannot reach). Known
 * datapoints are published — an error ratio per version every second, 3 errors and 7 requests a
 * second for {@code v2} — and read back exactly.
 */
class CloudWatchProviderIT extends MetricProviderContract {

  private static final String KEY_ENV = "CONTRACT_AWS_KEY_ID";
  private static final String KEY_ID = "AKIAAVIARYTEST0001";
  private static final String ROLE = "arn:aws:iam::123456789012:role/aviary-read";
  private static final long NOW = Instant.now().getEpochSecond();
  private static CloudWatchContractServer cloudwatch;

  @BeforeAll
  static void start() {
    cloudwatch =
        new CloudWatchContractServer(
            "eu-west-1", new SigV4Verifier.Key(KEY_ID, SECRET_VALUE, null));
    cloudwatch.allowRole(ROLE, "ext-42");
    for (long t = NOW - 600; t <= NOW + 600; t++) {
      cloudwatch.put("Aviary/Test", "ErrorRatio", Map.of("Version", "v1"), t, 0.01);
      cloudwatch.put("Aviary/Test", "ErrorRatio", Map.of("Version", "v2"), t, 0.05);
      cloudwatch.put("Aviary/Test", "Errors", Map.of("Version", "v2"), t, 3);
      cloudwatch.put("Aviary/Test", "Requests", Map.of("Version", "v2"), t, 7);
    }
  }

  @AfterAll
  static void stop() {
    cloudwatch.close();
  }

  @Override
  protected MetricProviderFactory factory() {
    return new CloudWatchProviderFactory();
  }

  @Override
  protected ProviderContext context() {
    return ProviderContext.of(
        SecretResolver.fromMap(Map.of(SECRET_ENV, SECRET_VALUE, KEY_ENV, KEY_ID)));
  }

  @Override
  protected Map<String, Object> settings() {
    return Map.of(
        "region",
        "eu-west-1",
        "endpoint",
        cloudwatch.url(),
        "period",
        "1s",
        "auth",
        Map.of(
            "accessKeyId", Map.of("env", KEY_ENV), "secretAccessKey", Map.of("env", SECRET_ENV)));
  }

  @Override
  protected String versionQuery() {
    return "{\"namespace\": \"Aviary/Test\", \"metric\": \"ErrorRatio\","
        + " \"dimensions\": {\"Version\": \"${version}\"}, \"stat\": \"Average\"}";
  }

  @Override
  protected double knownValue(String version) {
    return version.equals("v1") ? 0.01 : 0.05;
  }

  @Override
  protected String countQuery() {
    return "{\"namespace\": \"Aviary/Test\", \"metric\": \"Requests\","
        + " \"dimensions\": {\"Version\": \"${version}\"}, \"stat\": \"Sum\"}";
  }

  @Override
  protected Instant countWindowEnd() {
    return Instant.ofEpochSecond(NOW);
  }

  @Override
  protected double knownWindowCount() {
    return 60 * 7.0;
  }

  private static MetricQuery over(String template, long seconds) {
    return new MetricQuery(
        template,
        Map.of("version", "v2"),
        Instant.ofEpochSecond(NOW - seconds),
        Instant.ofEpochSecond(NOW),
        null,
        null);
  }

  @Test
  void metricMathOverNamedMetricsIsReturned() {
    String math =
        "{\"expression\": \"100 * e / t\", \"metrics\": {"
            + "\"e\": {\"namespace\": \"Aviary/Test\", \"metric\": \"Errors\","
            + " \"dimensions\": {\"Version\": \"${version}\"}, \"stat\": \"Sum\"},"
            + "\"t\": {\"namespace\": \"Aviary/Test\", \"metric\": \"Requests\","
            + " \"dimensions\": {\"Version\": \"${version}\"}, \"stat\": \"Sum\"}}}";
    MetricData data = factory().create(settings(), context()).fetch(over(math, 30));
    assertThat(data.values()).hasSize(30).containsOnly(100 * 3 / 7.0);
  }

  @Test
  void everyPageIsRead() {
    cloudwatch.pageSize(25);
    try {
      int before = cloudwatch.calls().size();
      MetricData data = factory().create(settings(), context()).fetch(over(countQuery(), 120));
      assertThat(data.values()).hasSize(120).containsOnly(7.0);
      assertThat(cloudwatch.calls().size() - before).isEqualTo(5);
      assertThat(cloudwatch.calls().get(cloudwatch.calls().size() - 1).body())
          .contains("\"NextToken\":\"100\"");
    } finally {
      cloudwatch.pageSize(100);
    }
  }

  @Test
  void throttlingIsRetryableAndTheSdkDoesNotRetryOnItsOwn() {
    cloudwatch.throttleNext(1);
    MetricProvider provider = factory().create(settings(), context());
    int before = cloudwatch.calls().size();
    assertThatThrownBy(() -> provider.fetch(query(versionQuery(), "v1")))
        .isInstanceOf(RetryableAnalysisException.class)
        .hasMessageContaining("Throttling")
        .hasMessageContaining("Rate exceeded");
    assertThat(cloudwatch.calls().size() - before).isEqualTo(1);
    assertThat(provider.fetch(query(versionQuery(), "v1")).values()).containsOnly(0.01);
  }

  @Test
  void aWrongSecretIsFatalAndNeverEchoed() {
    MetricProvider provider =
        factory()
            .create(
                settings(),
                ProviderContext.of(
                    SecretResolver.fromMap(Map.of(SECRET_ENV, "wrong-secret-9", KEY_ENV, KEY_ID))));
    assertThatThrownBy(() -> provider.fetch(query(versionQuery(), "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("refused the credentials")
        .hasMessageContaining("SignatureDoesNotMatch")
        .message()
        .doesNotContain("wrong-secret-9");
  }

  @Test
  void aRolesTemporaryCredentialsSignTheCallsOnceAssumed() {
    Map<String, Object> s = new HashMap<>(settings());
    Map<String, Object> auth = new HashMap<>();
    auth.put("accessKeyId", Map.of("env", KEY_ENV));
    auth.put("secretAccessKey", Map.of("env", SECRET_ENV));
    auth.put("roleArn", ROLE);
    auth.put("externalId", "ext-42");
    auth.put("stsEndpoint", cloudwatch.url());
    s.put("auth", auth);
    assertThat(factory().validate(s)).isEmpty();
    int assumed = cloudwatch.rolesAssumed();
    MetricProvider provider = factory().create(s, context());
    assertThat(provider.fetch(query(versionQuery(), "v2")).values()).containsOnly(0.05);
    assertThat(provider.fetch(query(versionQuery(), "v1")).values()).containsOnly(0.01);
    assertThat(cloudwatch.rolesAssumed() - assumed).isEqualTo(1);
    var last = cloudwatch.calls().get(cloudwatch.calls().size() - 1);
    assertThat(last.headers().get("Authorization").get(0)).contains("Credential=ASIAAVIARYROLE");
    assertThat(last.headers().get("X-amz-security-token").get(0)).startsWith("role-session-token-");

    auth.put("externalId", "wrong");
    MetricProvider refused = factory().create(s, context());
    assertThatThrownBy(() -> refused.fetch(query(versionQuery(), "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("AccessDenied");
  }

  @Test
  void settingsNameEveryProblem() {
    Map<String, Object> s = new HashMap<>();
    s.put("region", "Europe");
    s.put("period", "45s");
    s.put("auth", Map.of("accessKeyId", Map.of("env", KEY_ENV), "externalId", "x"));
    assertThat(factory().validate(s))
        .extracting(v -> v.field())
        .containsExactlyInAnyOrder("region", "period", "auth.secretAccessKey", "auth.externalId");
  }

  @Test
  void theHostsOwnCredentialsAreLentOnlyWhereAnAdminAllows() {
    Map<String, Object> s = new HashMap<>(settings());
    s.remove("auth");
    MetricProvider refused = factory().create(s, context());
    assertThatThrownBy(() -> refused.fetch(query(versionQuery(), "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("aviary.metrics.aws-host-credentials");
    // the SDK's default chain reads these system properties first
    System.setProperty("aws.accessKeyId", KEY_ID);
    System.setProperty("aws.secretAccessKey", SECRET_VALUE);
    try {
      MetricProvider lent = factory().create(s, context().withHostAwsCredentials(true));
      assertThat(lent.fetch(query(versionQuery(), "v1")).values()).containsOnly(0.01);
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }
}
