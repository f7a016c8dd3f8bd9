package dev.aviary.controller.freeze.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.aviary.controller.freeze.Freeze;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A freeze.
 *
 * @param id the freeze
 * @param reason why
 * @param labels the labels a plan must all carry to be frozen; empty: every plan
 * @param from when it begins
 * @param until when it ends
 * @param inForce whether it holds plans now
 * @param createdBy who declared it
 * @param createdAt when
 * @param liftedAt when it was lifted early
 * @param liftedBy who lifted it
 */
@Schema(name = "Freeze")
record FreezeResponse(
    UUID id,
    String reason,
    Map<String, String> labels,
    Instant from,
    Instant until,
    boolean inForce,
    String createdBy,
    Instant createdAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant liftedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String liftedBy) {

  static FreezeResponse of(Freeze f, Instant now) {
    return new FreezeResponse(
        f.id(),
        f.reason(),
        f.labels(),
        f.from(),
        f.until(),
        f.inForce(now),
        f.createdBy(),
        f.createdAt(),
        f.liftedAt(),
        f.liftedBy());
  }
}
