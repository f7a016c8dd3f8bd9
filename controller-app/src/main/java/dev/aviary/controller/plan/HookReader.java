package dev.aviary.controller.plan;

import dev.aviary.kernel.Durations;
import dev.aviary.kernel.SecretRef;
import dev.aviary.kernel.SettingsReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a plan's {@code hooks}, naming every bad field, and writes them back with defaults. */
final class HookReader {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Map<String, Hook.Point> POINTS = new LinkedHashMap<>();

  static {
    for (Hook.Point p : Hook.Point.values()) {
      POINTS.put(p.key().toLowerCase(Locale.ROOT), p);
    }
  }

  private HookReader() {}

  static List<Hook> readAll(SettingsReader plan) {
    List<Hook> hooks = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (SettingsReader h : plan.objects("hooks")) {
      String name = h.requiredString("name");
      if (name != null && !NAME.matcher(name).matches()) {
        h.violation("name", "must be lower-case letters, digits and '-', at most 63");
        name = null;
      } else if (name != null && !names.add(name)) {
        h.violation("name", "is the name of another hook");
        name = null;
      }
      Hook.Point at = null;
      if (!h.has("at")) {
        h.violation(
            "at",
            "is required: one of beforeRollout, beforeWeightIncrease, beforePromotion,"
                + " afterPromotion, onRollback");
      } else {
        at = h.oneOf("at", POINTS, Hook.Point.BEFORE_ROLLOUT);
      }
      URI url = h.httpUrl("url", true);
      SecretRef secret = h.secret("signingSecret", false);
      boolean gate = at == null || at.gate();
      for (String only : List.of("timeout", "retries", "onFailure")) {
        if (!gate && h.has(only)) {
          h.violation(
              only,
              "is read only at a gate (beforeRollout, beforeWeightIncrease, beforePromotion): a"
                  + " hook after the fact only tells, with the notifications' retries");
        }
      }
      Duration timeout = h.duration("timeout", Hook.DEFAULT_TIMEOUT);
      if (timeout.compareTo(Hook.MAX_TIMEOUT) > 0) {
        h.violation("timeout", "must be at most " + Durations.format(Hook.MAX_TIMEOUT));
      }
      int retries = h.integer("retries", Hook.DEFAULT_RETRIES, 0, 10);
      Hook.OnFailure onFailure =
          h.oneOf(
              "onFailure",
              Map.of("rollback", Hook.OnFailure.ROLLBACK, "pause", Hook.OnFailure.PAUSE),
              Hook.OnFailure.ROLLBACK);
      if (at == Hook.Point.BEFORE_ROLLOUT && onFailure == Hook.OnFailure.PAUSE) {
        h.violation(
            "onFailure",
            "a rollout that has not started cannot pause: before the rollout a failure rolls it"
                + " back (nothing has moved yet); retry starts it again");
      }
      h.rejectUnknown();
      if (name != null && at != null && url != null) {
        hooks.add(new Hook(name, at, url, secret, timeout, retries, onFailure));
      }
    }
    return hooks;
  }

  static PlanDocument.HookDocument write(Hook h) {
    boolean gate = h.at().gate();
    SecretRef s = h.signingSecret();
    return new PlanDocument.HookDocument(
        h.name(),
        h.at().key(),
        h.url().toString(),
        s == null ? null : new PlanDocument.SecretDocument(s.env(), s.file(), s.encrypted()),
        gate ? Durations.format(h.timeout()) : null,
        gate ? h.retries() : null,
        gate ? h.onFailure().name().toLowerCase(Locale.ROOT) : null);
  }
}
