package dev.aviary.controller.platform;

import dev.aviary.kernel.SettingViolation;
import java.util.List;
import java.util.Map;

/** The request is well-formed JSON but breaks rules; every broken field is listed. */
public final class InvalidRequestException extends Refusal {

  private static final long serialVersionUID = 1L;

  private final transient List<SettingViolation> violations;

  public InvalidRequestException(List<SettingViolation> violations) {
    super(
        Kind.INVALID,
        violations.size() == 1
            ? "1 field is invalid: " + violations.get(0).field()
            : violations.size() + " fields are invalid",
        Map.of(
            "errors",
            violations.stream()
                .map(v -> Map.of("field", v.field(), "message", v.message()))
                .toList()));
    this.violations = List.copyOf(violations);
  }

  public static InvalidRequestException of(String field, String message) {
    return new InvalidRequestException(List.of(new SettingViolation(field, message)));
  }

  public List<SettingViolation> violations() {
    return violations;
  }
}
