package dev.aviary.controller.rollout;

import dev.aviary.analysis.judge.JudgeState;
import dev.aviary.controller.analysis.AnalysisRun;
import dev.aviary.controller.analysis.Scopes;
import dev.aviary.controller.judgement.JudgementJson;
import dev.aviary.controller.plan.NotificationSpec;
import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.kernel.Durations;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a rollout together with what it produced — events, analyses, webhook deliveries — in the
 * caller's transaction, so that they are committed together or not at all.
 */
@Component
class RolloutStore {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final int MAX_STORED_VALUES = 2000;

  private final EntityManager em;
  private final JdbcClient jdbc;
  private final JsonMapper json;

  RolloutStore(EntityManager em, JdbcClient jdbc, JsonMapper json) {
    this.em = em;
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Saves the rollout and appends its new events (and, for transitions, its webhooks). */
  void save(Rollout r, PlanSpec plan) {
    if (!em.contains(r)) {
      em.persist(r);
    }
    em.flush();
    for (EventDraft e : r.drainEvents()) {
      long eventId =
          jdbc.sql(
                  "INSERT INTO rollout_event (rollout_id, at, type, from_phase, to_phase, from_weight, to_weight, step_index, actor, reason)"
                      + " VALUES (:rollout, :at, :type, :fromPhase, :toPhase, :fromWeight, :toWeight, :step, :actor, :reason) RETURNING id")
              .param("rollout", r.id())
              .param("at", Timestamp.from(e.at()))
              .param("type", e.type().name())
              .param("fromPhase", e.fromPhase() == null ? null : e.fromPhase().name())
              .param("toPhase", e.toPhase() == null ? null : e.toPhase().name())
              .param("fromWeight", e.fromWeight())
              .param("toWeight", e.toWeight())
              .param("step", e.stepIndex())
              .param("actor", e.actor())
              .param("reason", e.reason())
              .query(Long.class)
              .single();
      if (e.type() == EventType.TRANSITION && plan != null) {
        for (NotificationSpec n : plan.notifications()) {
          enqueueNotification(r, e, eventId, n);
        }
      }
    }
  }

  private void enqueueNotification(Rollout r, EventDraft e, long eventId, NotificationSpec n) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("event", "rollout.transition");
    payload.put("plan", r.planName());
    payload.put("rollout", r.id().toString());
    payload.put("phase", e.toPhase().name());
    payload.put("previousPhase", e.fromPhase() == null ? null : e.fromPhase().name());
    payload.put("weight", r.canaryWeight());
    payload.put("step", r.stepIndex());
    payload.put("verdict", r.lastVerdict());
    payload.put("score", r.lastScore());
    payload.put("reason", e.reason());
    payload.put("actor", e.actor());
    payload.put("canary", json.readValue(r.canary(), MAP));
    payload.put("at", e.at().toString());
    Map<String, Object> secret = n.signingSecret() == null ? null : n.signingSecret().toDocument();
    jdbc.sql(
            "INSERT INTO notification_outbox (rollout_id, event_id, url, format, signing_secret, payload, next_attempt_at)"
                + " VALUES (:rollout, :event, :url, :format, CAST(:secret AS jsonb), CAST(:payload AS jsonb), :at)")
        .param("rollout", r.id())
        .param("event", eventId)
        .param("url", n.url().toString())
        .param("format", n.format())
        .param("secret", secret == null ? null : json.writeValueAsString(secret))
        .param("payload", json.writeValueAsString(payload))
        .param("at", Timestamp.from(e.at()))
        .update();
  }

  void saveAnalysis(Rollout r, AnalysisRun run, Instant now) {
    Map<String, Object> result = JudgementJson.render(run.judgement());
    List<Map<String, Object>> values = new ArrayList<>();
    for (AnalysisRun.MetricValues v : run.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("metric", v.metric());
      m.put("canary", finite(v.canary()));
      if (v.baseline() != null) {
        m.put("baseline", finite(v.baseline()));
      }
      if (v.error() != null) {
        m.put("error", v.error());
      }
      values.add(m);
    }
    result.put("values", values);
    result.put("outcome", run.outcome().name());
    jdbc.sql(
            "INSERT INTO rollout_analysis (rollout_id, at, step_index, weight, window_start, window_end, outcome, verdict, score, result)"
                + " VALUES (:rollout, :at, :step, :weight, :start, :end, :outcome, :verdict, :score, CAST(:result AS jsonb))")
        .param("rollout", r.id())
        .param("at", Timestamp.from(now))
        .param("step", r.stepIndex())
        .param("weight", r.canaryWeight())
        .param("start", Timestamp.from(run.start()))
        .param("end", Timestamp.from(run.end()))
        .param("outcome", run.outcome().name())
        .param("verdict", run.judgement().verdict().name())
        .param("score", run.judgement().score())
        .param("result", json.writeValueAsString(result))
        .update();
  }

  /** JSON has no NaN: gaps are stored as null; long series are cut to their last values. */
  private static List<Double> finite(double[] values) {
    double[] kept =
        values.length > MAX_STORED_VALUES
            ? Arrays.copyOfRange(values, values.length - MAX_STORED_VALUES, values.length)
            : values;
    List<Double> out = new ArrayList<>(kept.length);
    for (double v : kept) {
      out.add(Double.isFinite(v) ? v : null);
    }
    return out;
  }

  JudgeState judgeState(Rollout r) {
    return json.readValue(r.judgeState(), JudgeState.class);
  }

  String judgeStateJson(JudgeState state) {
    return json.writeValueAsString(state);
  }

  /** The variables of the canary's and the baseline's queries. */
  Scopes scopes(Rollout r, PlanSpec plan) {
    return scopes(
        r.planName(), r.id().toString(), strings(r.canary()), strings(r.baseline()), plan);
  }

  static Scopes scopes(
      String planName,
      String rolloutId,
      Map<String, String> canary,
      Map<String, String> baseline,
      PlanSpec plan) {
    Map<String, String> common = new LinkedHashMap<>();
    common.put("plan", planName);
    common.put("rollout", rolloutId);
    common.put("canary", canary.getOrDefault("version", ""));
    common.put("baseline", baseline.getOrDefault("version", ""));
    if (plan.analysis() != null) {
      common.put("interval", Durations.format(plan.analysis().interval()));
    }
    Map<String, String> forCanary = new LinkedHashMap<>(common);
    forCanary.putAll(canary);
    Map<String, String> forBaseline = new LinkedHashMap<>(common);
    forBaseline.putAll(baseline);
    return new Scopes(forCanary, forBaseline);
  }

  Map<String, String> strings(String jsonObject) {
    Map<String, String> out = new LinkedHashMap<>();
    json.readValue(jsonObject, MAP).forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }
}
