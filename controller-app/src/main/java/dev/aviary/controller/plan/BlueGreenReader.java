package dev.aviary.controller.plan;

import dev.aviary.controller.routing.HeaderRoute;
import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.TrafficRouterFactory;
import dev.aviary.kernel.SettingsReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code "blueGreen": {"preview": {"header": "X-Preview", "value": "1"}, ...}} instead of {@code
 * steps}: the new version is reached only through the preview route while it is judged, then all
 * traffic switches to it in one change, and the old version stays ready for {@code scaleDownDelay}
 * — a rollback switches back — before the rollout ends. It stands for these steps, which the plan
 * is stored and answered as:
 *
 * <pre>{@code
 * {"setHeaderRoute": {"name": "preview", "match": <preview>}}
 * {"analysis": {"count": <previewAnalyses>, "duration": <previewDuration>}}   with analysis
 * {"pause": {}}                                                             autoPromote: false
 * {"setWeight": 100}                                                        the switch
 * {"pause": {"duration": <scaleDownDelay>}}                                 unless 0s
 * }</pre>
 */
final class BlueGreenReader {

  static final String PREVIEW = "preview";
  static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ofSeconds(30);

  private BlueGreenReader() {}

  /** The steps {@code blueGreen} stands for; empty when it is invalid (violations name why). */
  static List<Step> read(
      SettingsReader bg,
      boolean hasAnalysis,
      @Nullable TrafficRouterFactory router,
      @Nullable RouterSpec spec) {
    HeaderRoute preview = null;
    if (!bg.has(PREVIEW)) {
      bg.violation(
          PREVIEW,
          "is required: the route to the new version while it is judged, such as {\"header\":"
              + " \"X-Preview\", \"value\": \"1\"}");
    } else {
      Optional<SettingsReader> p = bg.object(PREVIEW);
      if (p.isPresent()) {
        preview = SetHeaderRouteStep.match(p.get(), PREVIEW);
      }
    }
    if (preview != null && router != null && spec != null) {
      RouterCapability needed = preview.capability();
      if (!router.capabilities().contains(needed)) {
        bg.violation(PREVIEW, PlanReader.cannot(router, needed));
      } else {
        router.missingSetting(needed, spec.settings()).ifPresent(why -> bg.violation(PREVIEW, why));
      }
    }
    boolean analysed = bg.has("previewAnalyses") || bg.has("previewDuration");
    if (analysed && !hasAnalysis) {
      bg.violation(
          "previewAnalyses",
          "judges the preview with the plan's analysis, and the plan has none: add \"analysis\"");
    }
    int analyses = bg.integer("previewAnalyses", 1, 1, 1000);
    Duration duration = bg.optionalDuration("previewDuration");
    boolean autoPromote = bg.bool("autoPromote", hasAnalysis);
    Duration delay = bg.duration("scaleDownDelay", DEFAULT_SCALE_DOWN_DELAY, true);
    if (delay.compareTo(Duration.ofDays(1)) > 0) {
      bg.violation("scaleDownDelay", "must be at most 24h");
    }
    bg.rejectUnknown();
    if (preview == null) {
      return List.of();
    }
    List<Step> steps = new ArrayList<>();
    steps.add(new Step.SetHeaderRoute(PREVIEW, preview));
    if (hasAnalysis) {
      steps.add(new Step.Analysis(analyses, duration));
    }
    if (!autoPromote) {
      steps.add(new Step.Pause(null));
    }
    steps.add(new Step.SetWeight(100));
    if (!delay.isZero()) {
      steps.add(new Step.Pause(delay));
    }
    return steps;
  }
}
