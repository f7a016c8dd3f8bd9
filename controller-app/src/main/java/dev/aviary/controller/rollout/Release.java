package dev.aviary.controller.rollout;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/** What was asked to be released, by whom, and how a retried request is recognised. */
@Embeddable
class Release {

  @Convert(converter = JsonColumns.StringMap.class)
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  private Map<String, String> canary;

  @Convert(converter = JsonColumns.StringMap.class)
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  private Map<String, String> baseline;

  @Convert(converter = JsonColumns.StringMap.class)
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  private Map<String, String> metadata;

  @Column(name = "idempotency_key")
  private @Nullable String idempotencyKey;

  @Column(name = "request_fingerprint")
  private @Nullable String requestFingerprint;

  @Column(name = "created_by", nullable = false)
  private String createdBy;

  protected Release() {}

  Release(
      Map<String, String> canary,
      Map<String, String> baseline,
      Map<String, String> metadata,
      @Nullable String idempotencyKey,
      @Nullable String requestFingerprint,
      String createdBy) {
    this.canary = Map.copyOf(canary);
    this.baseline = Map.copyOf(baseline);
    this.metadata = Map.copyOf(metadata);
    this.idempotencyKey = idempotencyKey;
    this.requestFingerprint = requestFingerprint;
    this.createdBy = createdBy;
  }

  /** The canary's scope: its {@code version} and any other variables of the plan's queries. */
  Map<String, String> canary() {
    return canary;
  }

  Map<String, String> baseline() {
    return baseline;
  }

  Map<String, String> metadata() {
    return metadata;
  }

  @Nullable String idempotencyKey() {
    return idempotencyKey;
  }

  @Nullable String requestFingerprint() {
    return requestFingerprint;
  }

  String createdBy() {
    return createdBy;
  }
}
