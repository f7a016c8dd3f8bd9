package dev.aviary.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks AWS Signature Version 4 on a request the way an AWS service does, written from AWS's
 * published description of the algorithm ("Create a signed AWS API request", AWS IAM user guide)
 * and independent of the AWS SDK that signs: canonical request (method, URI-encoded path, sorted
 * query, the signed headers, the payload's SHA-256), string to sign, the HMAC-SHA256 signing-key
 * chain {@code AWS4<secret> → date → region → service → aws4_request}, and the credential scope's
 * region and service. Temporary credentials must carry their session token.
 */
public final class SigV4Verifier {

  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*"
              + "SignedHeaders=([^,]+),\\s*Signature=([0-9a-f]{64})");
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

  /** A key pair a caller may sign with; {@code sessionToken} null for long-term keys. */
  public record Key(String accessKeyId, String secretAccessKey, String sessionToken) {}

  private final String region;
  private final Map<String, Key> keys = new ConcurrentHashMap<>();

  public SigV4Verifier(String region) {
    this.region = region;
  }

  /** Accepts signatures made with {@code key}. */
  public SigV4Verifier accept(Key key) {
    keys.put(key.accessKeyId(), key);
    return this;
  }

  /**
   * Why the request is not correctly signed for {@code service}, or empty when it is.
   *
   * @param headers the request's headers as received (names in any case)
   * @param rawPath the path as sent, percent-encoding kept
   * @param rawQuery the query as sent, or null
   */
  public Optional<String> check(
      String service,
      String method,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body) {
    Map<String, String> h = new TreeMap<>();
    headers.forEach(
        (k, v) ->
            h.put(
                k.toLowerCase(Locale.ROOT),
                String.join(",", v.stream().map(String::strip).toList())));
    String authorization = h.get("authorization");
    if (authorization == null) {
      return Optional.of("MissingAuthenticationToken: Request is missing Authentication Token");
    }
    Matcher m = AUTHORIZATION.matcher(authorization);
    if (!m.matches()) {
      return Optional.of("IncompleteSignature: the Authorization header is not SigV4");
    }
    String keyId = m.group(1);
    String date = m.group(2);
    if (!m.group(3).equals(region) || !m.group(4).equals(service)) {
      return Optional.of(
          "SignatureDoesNotMatch: credential should be scoped to a valid region and service ("
              + region
              + "/"
              + service
              + "), not "
              + m.group(3)
              + "/"
              + m.group(4));
    }
    Key key = keys.get(keyId);
    if (key == null) {
      return Optional.of(
          "InvalidClientTokenId: The security token included in the request is invalid.");
    }
    if (key.sessionToken() != null && !key.sessionToken().equals(h.get("x-amz-security-token"))) {
      return Optional.of("InvalidClientTokenId: the session token is missing or wrong");
    }
    String amzDate = h.get("x-amz-date");
    if (amzDate == null || !amzDate.startsWith(date)) {
      return Optional.of("IncompleteSignature: X-Amz-Date is missing or outside the scope's day");
    }
    try {
      Instant signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
      if (Duration.between(signedAt, Instant.now()).abs().compareTo(Duration.ofMinutes(15)) > 0) {
        return Optional.of("SignatureDoesNotMatch: Signature expired");
      }
    } catch (DateTimeParseException e) {
      return Optional.of("IncompleteSignature: X-Amz-Date is not yyyyMMddTHHmmssZ");
    }
    List<String> signed = List.of(m.group(5).split(";", -1));
    if (!signed.contains("host")) {
      return Optional.of("SignatureDoesNotMatch: the host header must be signed");
    }
    StringBuilder canonicalHeaders = new StringBuilder();
    for (String name : signed) {
      String value = h.get(name);
      if (value == null) {
        return Optional.of("SignatureDoesNotMatch: signed header " + name + " is missing");
      }
      canonicalHeaders.append(name).append(':').append(value.replaceAll("\\s+", " ")).append('\n');
    }
    String payloadHash = h.getOrDefault("x-amz-content-sha256", hex(sha256(body)));
    if (!payloadHash.equals(hex(sha256(body))) && !payloadHash.startsWith("UNSIGNED")) {
      return Optional.of("SignatureDoesNotMatch: x-amz-content-sha256 is not the body's hash");
    }
    String canonicalRequest =
        String.join(
            "\n",
            method,
            canonicalPath(rawPath),
            canonicalQuery(rawQuery),
            canonicalHeaders.toString(),
            m.group(5),
            payloadHash);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign =
        "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(utf8(canonicalRequest)));
    byte[] k = hmac(utf8("AWS4" + key.secretAccessKey()), date);
    k = hmac(k, region);
    k = hmac(k, service);
    k = hmac(k, "aws4_request");
    String expected = hex(hmac(k, stringToSign));
    if (!MessageDigest.isEqual(utf8(expected), utf8(m.group(6)))) {
      return Optional.of(
          "SignatureDoesNotMatch: The request signature we calculated does not match the"
              + " signature you provided.");
    }
    return Optional.empty();
  }

  /** Each segment URI-encoded once more (non-S3 services sign the path double-encoded). */
  private static String canonicalPath(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    List<String> out = new ArrayList<>();
    for (String segment : rawPath.split("/", -1)) {
      out.add(encode(segment));
    }
    return String.join("/", out);
  }

  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    TreeMap<String, List<String>> params = new TreeMap<>();
    for (String pair : rawQuery.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.computeIfAbsent(encode(name), n -> new ArrayList<>()).add(encode(value));
    }
    List<String> out = new ArrayList<>();
    params.forEach((n, vs) -> vs.stream().sorted().forEach(v -> out.add(n + "=" + v)));
    return String.join("&", out);
  }

  /** RFC 3986: everything but unreserved characters percent-encoded, upper-case hex. */
  private static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : utf8(s)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return out.toString();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(utf8(data));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
