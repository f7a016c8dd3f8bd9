package dev.aviary.analysis.metrics.http;

import dev.aviary.analysis.AnalysisException;
import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.SecretRef;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.kernel.SecretUnavailableException;
import dev.aviary.kernel.SettingsReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * AWS credentials and Signature Version 4, as a plan writes them:
 *
 * <pre>{@code
 * {"region": "eu-west-1",
 *  "accessKeyId": {"env": "AWS_KEY_ID"}, "secretAccessKey": {"env": "AWS_SECRET"},  // or neither:
 *  "sessionToken": {"env": "AWS_SESSION_TOKEN"},        // the SDK's default chain (environment,
 *  "roleArn": "arn:aws:iam::123456789012:role/aviary",  // profile, web identity, container,
 *  "externalId": "…", "stsEndpoint": "https://…"}       // instance) finds them
 * }</pre>
 *
 * With {@code roleArn}, those credentials assume the role through STS and the role's temporary
 * credentials sign the calls (refreshed before they expire).
 */
public record AwsAuth(
    String region,
    @Nullable SecretRef accessKeyId,
    @Nullable SecretRef secretAccessKey,
    @Nullable SecretRef sessionToken,
    @Nullable String roleArn,
    @Nullable String externalId,
    @Nullable URI stsEndpoint) {

  /** The fields {@link #read} knows, for messages. */
  public static final List<String> FIELDS =
      List.of(
          "region",
          "accessKeyId",
          "secretAccessKey",
          "sessionToken",
          "roleArn",
          "externalId",
          "stsEndpoint");

  /**
   * Reads the fields above from {@code r} (with {@code region} given by the caller when it is read
   * elsewhere); violations go to the reader.
   */
  public static @Nullable AwsAuth read(SettingsReader r, @Nullable String regionElsewhere) {
    String region = regionElsewhere != null ? regionElsewhere : r.requiredString("region");
    if (regionElsewhere == null && region != null && !region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
      r.violation("region", "must be an AWS region such as eu-west-1");
    }
    SecretRef id = r.secret("accessKeyId", false);
    SecretRef secret = r.secret("secretAccessKey", false);
    SecretRef token = r.secret("sessionToken", false);
    if (r.has("accessKeyId") != r.has("secretAccessKey")) {
      r.violation(
          r.has("accessKeyId") ? "secretAccessKey" : "accessKeyId",
          "is required with the other key; give both, or neither to use the default chain");
    }
    if (r.has("sessionToken") && !r.has("accessKeyId")) {
      r.violation("sessionToken", "goes with accessKeyId and secretAccessKey");
    }
    String role = r.string("roleArn").orElse(null);
    if (role != null && !role.matches("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}")) {
      r.violation("roleArn", "must be an IAM role's ARN, arn:aws:iam::<account>:role/<name>");
    }
    String external = r.string("externalId").orElse(null);
    URI sts = r.httpUrl("stsEndpoint", false);
    if ((external != null || sts != null) && role == null) {
      r.violation(external != null ? "externalId" : "stsEndpoint", "goes with roleArn");
    }
    return region == null ? null : new AwsAuth(region, id, secret, token, role, external, sts);
  }

  /**
   * The credentials to sign with: the referenced keys (opened at each call, so that a rotated
   * secret is used at once) or, where the host lends them, the SDK's default chain; through a role
   * when one is named.
   */
  public AwsCredentialsProvider credentials(ProviderContext context, Duration timeout) {
    SecretResolver secrets = context.secrets();
    HttpClient http = context.http();
    AwsCredentialsProvider base;
    if (accessKeyId != null && secretAccessKey != null) {
      SecretRef id = accessKeyId;
      SecretRef secret = secretAccessKey;
      SecretRef token = sessionToken;
      base =
          () -> {
            try {
              return token == null
                  ? AwsBasicCredentials.create(secrets.resolve(id), secrets.resolve(secret))
                  : AwsSessionCredentials.create(
                      secrets.resolve(id), secrets.resolve(secret), secrets.resolve(token));
            } catch (SecretUnavailableException e) {
              throw new FatalAnalysisException(String.valueOf(e.getMessage()));
            }
          };
    } else if (context.hostAwsCredentials()) {
      base = DefaultCredentialsProvider.builder().build();
    } else {
      base =
          () -> {
            throw new FatalAnalysisException(
                "the plan names no AWS keys, and the controller lends its own AWS credentials to"
                    + " no plan unless an admin allows it (aviary.metrics.aws-host-credentials);"
                    + " give accessKeyId and secretAccessKey by reference");
          };
    }
    if (roleArn == null) {
      return base;
    }
    var sts =
        StsClient.builder()
            .region(Region.of(region))
            .credentialsProvider(base)
            .httpClient(new JdkSdkHttpClient(http, timeout));
    if (stsEndpoint != null) {
      sts.endpointOverride(stsEndpoint);
    }
    String role = roleArn;
    String external = externalId;
    return StsAssumeRoleCredentialsProvider.builder()
        .stsClient(sts.build())
        .refreshRequest(r -> r.roleArn(role).roleSessionName("aviary").externalId(external))
        .build();
  }

  /**
   * {@code request} (whose body is {@code body}) signed for {@code service} in this region: the
   * same request with {@code Authorization}, {@code X-Amz-Date} and, for temporary credentials,
   * {@code X-Amz-Security-Token} added.
   *
   * @throws AnalysisException when no credentials can be found or the role cannot be assumed
   */
  public HttpRequest sign(
      HttpRequest request, byte[] body, AwsCredentialsProvider credentials, String service) {
    AwsCredentials identity;
    try {
      identity = credentials.resolveCredentials();
    } catch (SdkException e) {
      throw translate("AWS credentials", e);
    }
    SdkHttpFullRequest.Builder sdk =
        SdkHttpFullRequest.builder()
            .uri(request.uri())
            .method(SdkHttpMethod.fromValue(request.method()));
    request.headers().map().forEach(sdk::putHeader);
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(identity)
                        .request(sdk.build())
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region))
            .request();
    HttpRequest.Builder out = HttpRequest.newBuilder(request, (name, value) -> true);
    for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
      String name = h.getKey();
      if (ADDED_BY_SIGNING.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        out.setHeader(name, h.getValue().get(0));
      }
    }
    return out.build();
  }

  private static final Set<String> ADDED_BY_SIGNING =
      Set.of("authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256");

  /**
   * An SDK failure as Aviary's: throttling, 5xx and connection failures retryable; refused
   * credentials and rejected requests fatal, quoting the service's error code and message.
   */
  public static AnalysisException translate(String backend, SdkException e) {
    if (e instanceof AwsServiceException ase) {
      int status = ase.statusCode();
      String code = ase.awsErrorDetails() == null ? "" : ase.awsErrorDetails().errorCode();
      String message =
          ase.awsErrorDetails() == null
              ? String.valueOf(ase.getMessage())
              : String.valueOf(ase.awsErrorDetails().errorMessage());
      String said = backend + " answered HTTP " + status + " " + code + ": " + message;
      if (ase.isThrottlingException() || HttpCalls.retryableStatus(status)) {
        return new RetryableAnalysisException(said);
      }
      if (status == 401 || status == 403) {
        return new FatalAnalysisException(
            backend + " refused the credentials (HTTP " + status + " " + code + "): " + message);
      }
      return new FatalAnalysisException(said);
    }
    if (e.getCause() instanceof dev.aviary.kernel.OutboundPolicy.DestinationRefusedException r) {
      return new FatalAnalysisException(backend + ": " + r.getMessage());
    }
    if (e instanceof SdkClientException && e.getCause() instanceof IOException io) {
      return new RetryableAnalysisException(
          "cannot reach " + backend + ": " + HttpCalls.describe(io), e);
    }
    if (e.getCause() instanceof AnalysisException ae) {
      return ae;
    }
    return new FatalAnalysisException(backend + ": " + e.getMessage());
  }
}
