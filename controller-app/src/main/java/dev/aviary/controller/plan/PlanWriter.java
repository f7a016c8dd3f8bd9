package dev.aviary.controller.plan;

import dev.aviary.analysis.judge.EffectSize;
import dev.aviary.analysis.judge.MetricSpec;
import dev.aviary.analysis.judge.Threshold;
import dev.aviary.analysis.metrics.SeriesAggregation;
import dev.aviary.kernel.Durations;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link PlanSpec} back as a plan document with every default filled in: what is stored,
 * and what GET answers. {@link PlanReader} reads it back to the same spec.
 */
final class PlanWriter {

  private PlanWriter() {}

  static PlanDocument write(PlanSpec plan) {
    return write(plan, false);
  }

  /**
   * The plan as a rollout keeps it: each stored metric template pinned to the revision the plan
   * read now, so that the rollout reads the same queries to its end whatever becomes of the
   * template.
   */
  static PlanDocument writePinned(PlanSpec plan) {
    return write(plan, true);
  }

  private static PlanDocument write(PlanSpec plan, boolean pinTemplates) {
    Map<String, Object> router = new LinkedHashMap<>();
    router.put("type", plan.router().type());
    router.putAll(plan.router().settings());
    return new PlanDocument(
        plan.name(),
        plan.description(),
        new LinkedHashMap<>(plan.labels()),
        router,
        plan.steps().stream().map(StepHandlers::write).toList(),
        plan.analysis() == null ? null : analysis(plan.analysis(), pinTemplates),
        plan.notifications().stream().map(NotificationReader::write).toList(),
        Durations.format(plan.progressDeadline()),
        plan.windows().isEmpty()
            ? null
            : plan.windows().stream()
                .map(
                    w ->
                        new PlanDocument.WindowDocument(
                            ReleaseWindow.dayRuns(w.days()),
                            w.from().toString(),
                            w.to().toString(),
                            w.zone().getId()))
                .toList(),
        plan.hooks().isEmpty() ? null : plan.hooks().stream().map(HookReader::write).toList());
  }

  private static PlanDocument.AnalysisDocument analysis(AnalysisSpec a, boolean pinTemplates) {
    return new PlanDocument.AnalysisDocument(
        Durations.format(a.interval()),
        Durations.format(a.warmup()),
        a.failureLimit(),
        a.inconclusiveLimit(),
        a.consecutiveErrorLimit(),
        a.errorAction().name().toLowerCase(Locale.ROOT),
        new PlanDocument.ScoreThresholdsDocument(a.thresholds().pass(), a.thresholds().marginal()),
        a.judge().toDocument(),
        new LinkedHashMap<>(a.groupWeights()),
        Durations.format(a.maxDuration()),
        a.onUndecided().name().toLowerCase(Locale.ROOT),
        a.metrics().stream().map(m -> metric(m, pinTemplates)).toList());
  }

  private static PlanDocument.MetricDocument metric(MetricDefinition d, boolean pinTemplates) {
    MetricSpec s = d.judging();
    MetricDefinition.StoredTemplateUse stored = d.stored();
    Map<String, Object> provider = null;
    if (stored == null || !stored.providerFromTemplate()) {
      provider = new LinkedHashMap<>();
      provider.put("type", d.provider().type());
      provider.putAll(d.provider().settings());
    }
    boolean queries = d.template() == null; // a template is written by its name
    EffectSize e = s.effectSize();
    return new PlanDocument.MetricDocument(
        s.name(),
        provider,
        queries && d.source() instanceof MetricDefinition.Source.Series q
            ? new PlanDocument.QueryDocument(q.canary(), q.baseline())
            : null,
        queries && d.source() instanceof MetricDefinition.Source.Counts c
            ? new PlanDocument.CountsDocument(
                c.bad(),
                c.total(),
                c.baselineOwn() == null
                    ? null
                    : new PlanDocument.CountsSideDocument(
                        c.baselineOwn().bad(), c.baselineOwn().total()))
            : null,
        queries && d.source() instanceof MetricDefinition.Source.Histogram h ? h.query() : null,
        d.seriesAggregation() == SeriesAggregation.NONE ? null : d.seriesAggregation().wireName(),
        d.judgeOverride() == null ? null : d.judgeOverride().toDocument(),
        s.direction().wireName(),
        s.threshold() == null ? null : threshold(s.threshold()),
        s.critical(),
        s.mustHaveData(),
        s.muted(),
        s.group(),
        s.weight(),
        s.nanStrategy().wireName(),
        s.outlierFactor() == null
            ? null
            : new PlanDocument.OutliersDocument("remove", s.outlierFactor()),
        new PlanDocument.EffectSizeDocument(
            e.allowedIncrease(), e.allowedDecrease(), e.criticalIncrease(), e.criticalDecrease()),
        d.template(),
        stored != null && (stored.pinned() || pinTemplates) ? stored.revision() : null,
        stored == null || stored.variables().isEmpty()
            ? null
            : new LinkedHashMap<>(stored.variables()));
  }

  private static PlanDocument.ThresholdDocument threshold(Threshold t) {
    return new PlanDocument.ThresholdDocument(t.min(), t.max(), t.reducer().wireName());
  }
}
