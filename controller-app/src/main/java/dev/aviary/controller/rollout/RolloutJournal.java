package dev.aviary.controller.rollout;

import dev.aviary.analysis.judge.Counts;
import dev.aviary.analysis.judge.Histogram;
import dev.aviary.controller.analysis.AnalysisRun;
import dev.aviary.controller.judgement.JudgementDocument;
import dev.aviary.controller.plan.NotificationEvent;
import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.controller.plan.Step;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rollout's journal: writes a rollout together with what it produced — events and analyses — in
 * the caller's transaction (Spring Data's {@link RolloutRepository} only finds and locks), and
 * publishes each event people may hear of ({@link RolloutNotice}) there, so that the rollout, its
 * trail and whatever listeners write (notification deliveries) are committed together or not at
 * all.
 */
@Component
class RolloutJournal implements AnalysisLog {

  private static final int MAX_STORED_VALUES = 2000;

  private final EntityManager em;
  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final ApplicationEventPublisher events;

  RolloutJournal(
      EntityManager em, JdbcClient jdbc, JsonMapper json, ApplicationEventPublisher events) {
    this.em = em;
    this.jdbc = jdbc;
    this.json = json;
    this.events = events;
  }

  /**
   * Saves the rollout and appends its new events; each one people may hear of is published with the
   * plan's notification channels ({@code plan} null or without channels: none).
   */
  void save(Rollout r, @Nullable PlanSpec plan) {
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
      if (e.notice() != null && plan != null && !plan.deliveries().isEmpty()) {
        RollbackCause cause = r.rollbackCause();
        events.publishEvent(
            new RolloutNotice(
                r.id(),
                eventId,
                e.notice(),
                r.planName(),
                e.type() == EventType.TRANSITION ? e.fromPhase() : null,
                r.phase(),
                r.canaryWeight(),
                r.stepIndex(),
                plan.steps().size(),
                r.lastVerdict(),
                r.lastScore(),
                cause == null ? null : cause.name(),
                e.reason(),
                e.actor(),
                r.canary(),
                r.metadata(),
                e.at(),
                e.notice() == NotificationEvent.APPROVAL_NEEDED
                        && r.stepIndex() < plan.steps().size()
                        && plan.steps().get(r.stepIndex()) instanceof Step.Approval a
                    ? e.at().plus(a.timeout())
                    : null,
                plan.deliveries()));
      }
    }
  }

  @Override
  public void record(Rollout r, AnalysisRun run, Instant now) {
    JudgementDocument judgement = JudgementDocument.of(run.judgement());
    List<AnalysisView.MetricValues> values = new ArrayList<>();
    for (AnalysisRun.MetricValues v : run.values()) {
      Counts c = v.counts();
      Histogram h = v.histogram();
      values.add(
          new AnalysisView.MetricValues(
              v.metric(),
              finite(v.canary()),
              v.baseline() == null ? null : finite(v.baseline()),
              c == null
                  ? null
                  : Map.of(
                      "canaryBad", c.canaryBad(),
                      "canaryTotal", c.canaryTotal(),
                      "baselineBad", c.baselineBad(),
                      "baselineTotal", c.baselineTotal()),
              h == null
                  ? null
                  : new AnalysisView.HistogramValues(
                      finite(h.bounds()),
                      Arrays.stream(h.canary()).boxed().toList(),
                      Arrays.stream(h.baseline()).boxed().toList()),
              v.error(),
              v.queries()));
    }
    AnalysisView.Result result =
        new AnalysisView.Result(
            judgement.verdict(),
            judgement.score(),
            judgement.reason(),
            judgement.groupScores(),
            judgement.metrics(),
            values,
            run.outcome().name());
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
}
