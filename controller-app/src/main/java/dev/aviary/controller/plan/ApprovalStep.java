package dev.aviary.controller.plan;

import dev.aviary.kernel.Durations;
import dev.aviary.kernel.SettingsReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code {"approval": {"roles": ["admin"], "approvers": ["oidc:alice"], "timeout": "4h",
 * "onTimeout": "rollback", "excludeStarter": true}}}: wait for a person's answer; see {@link
 * Step.Approval}.
 */
final class ApprovalStep implements StepHandler<Step.Approval> {

  static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);
  static final Duration MAX_TIMEOUT = Duration.ofDays(30);

  /** What {@code Caller.actor} names: a token's or an OIDC subject's. */
  private static final Pattern ACTOR = Pattern.compile("(token|oidc):\\S{1,190}");

  private static final Map<String, Step.Approval.OnTimeout> ON_TIMEOUT = new LinkedHashMap<>();

  static {
    ON_TIMEOUT.put("pause", Step.Approval.OnTimeout.PAUSE);
    ON_TIMEOUT.put("rollback", Step.Approval.OnTimeout.ROLLBACK);
  }

  @Override
  public String kind() {
    return "approval";
  }

  @Override
  public Class<Step.Approval> type() {
    return Step.Approval.class;
  }

  @Override
  public Step.@Nullable Approval read(SettingsReader s, StepReading context) {
    Optional<SettingsReader> o = s.object(kind());
    if (o.isEmpty()) {
      if (s.raw().get(kind()) == null) {
        s.violation(
            kind(),
            "must be an object: {} for any operator's approval, or {\"roles\": [\"admin\"],"
                + " \"timeout\": \"4h\", \"onTimeout\": \"rollback\"}");
      }
      return null;
    }
    SettingsReader a = o.get();
    boolean valid = true;
    Set<String> roles = new TreeSet<>();
    List<Object> listed = a.list("roles"); // absent or empty (as generated clients send): operator
    if (!listed.isEmpty()) {
      for (int i = 0; i < listed.size(); i++) {
        if (listed.get(i) instanceof String role
            && Step.Approval.ROLES.contains(role.toLowerCase(Locale.ROOT))) {
          roles.add(role.toLowerCase(Locale.ROOT));
        } else {
          a.violation(
              "roles[" + i + "]",
              "must be one of " + String.join(", ", roleNames()) + ", was " + listed.get(i));
          valid = false;
        }
      }
    } else {
      roles.add("operator");
    }
    Set<String> approvers = new LinkedHashSet<>();
    List<Object> named = a.list("approvers");
    for (int i = 0; i < named.size(); i++) {
      if (named.get(i) instanceof String actor && ACTOR.matcher(actor).matches()) {
        if (!approvers.add(actor)) {
          a.violation("approvers[" + i + "]", "names " + actor + " twice");
          valid = false;
        }
      } else {
        a.violation(
            "approvers[" + i + "]",
            "must name a caller as audit records do: token:<name> or oidc:<subject>");
        valid = false;
      }
    }
    Duration timeout = a.duration("timeout", DEFAULT_TIMEOUT);
    if (timeout.compareTo(MAX_TIMEOUT) > 0) {
      a.violation("timeout", "must be at most " + Durations.format(MAX_TIMEOUT));
      valid = false;
    }
    Step.Approval.OnTimeout onTimeout =
        a.oneOf("onTimeout", ON_TIMEOUT, Step.Approval.OnTimeout.PAUSE);
    boolean excludeStarter = a.bool("excludeStarter", false);
    a.rejectUnknown();
    if (!valid || roles.isEmpty() || (timeout.isNegative() || timeout.isZero())) {
      return null;
    }
    return new Step.Approval(roles, new ArrayList<>(approvers), timeout, onTimeout, excludeStarter);
  }

  private static List<String> roleNames() {
    return List.of("operator", "admin");
  }

  @Override
  public PlanDocument.StepDocument write(Step.Approval step) {
    return new PlanDocument.StepDocument(
        null,
        null,
        null,
        null,
        new PlanDocument.ApprovalDocument(
            roleNames().stream().filter(step.roles()::contains).toList(),
            step.approvers().isEmpty() ? null : step.approvers(),
            Durations.format(step.timeout()),
            step.onTimeout().name().toLowerCase(Locale.ROOT),
            step.excludeStarter()));
  }

  @Override
  public String describe(Step.Approval step) {
    return "approval by "
        + whoMayAnswer(step)
        + " within "
        + Durations.format(step.timeout())
        + ", then "
        + (step.onTimeout() == Step.Approval.OnTimeout.PAUSE ? "pause" : "roll back");
  }

  /** Who may answer, in words: {@code an operator or admin, one of oidc:alice, oidc:bob}. */
  static String whoMayAnswer(Step.Approval step) {
    String roles =
        String.join(" or ", roleNames().stream().filter(step.roles()::contains).toList());
    return (step.approvers().isEmpty()
            ? "any " + roles
            : String.join(", ", step.approvers()) + " (as " + roles + ")")
        + (step.excludeStarter() ? ", not the caller who started the rollout" : "");
  }

  @Override
  public Entry enter(Step.Approval step, StepRun run) {
    run.approvalNeeded(step);
    return Entry.CONTINUE;
  }

  /**
   * An approval completes the step through the person's action, never here; here a step nobody
   * answered in time pauses or rolls back.
   */
  @Override
  public boolean complete(Step.Approval step, StepRun run) {
    Instant since = run.stepWaitingSince();
    if (since != null && !run.now().isBefore(step.deadline(since))) {
      run.approvalTimedOut(step);
    }
    return false;
  }
}
