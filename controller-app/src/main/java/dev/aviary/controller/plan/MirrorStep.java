package dev.aviary.controller.plan;

import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.kernel.SettingsReader;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code {"mirror": {"percent": 10}}}: copy that share of requests to the new version, its answers
 * thrown away, until the rollout ends or another mirror step ({@code 0} stops).
 */
final class MirrorStep implements StepHandler<Step.Mirror> {

  @Override
  public String kind() {
    return "mirror";
  }

  @Override
  public Class<Step.Mirror> type() {
    return Step.Mirror.class;
  }

  @Override
  public Step.@Nullable Mirror read(SettingsReader s, StepReading context) {
    Optional<SettingsReader> o = s.object(kind());
    if (o.isEmpty()) {
      if (s.raw().get(kind()) == null) {
        s.violation(kind(), "must be an object: {\"percent\": 10}; {\"percent\": 0} stops copying");
      }
      return null;
    }
    Integer percent = o.get().optionalInteger("percent", 0, 100);
    if (percent == null && o.get().raw().get("percent") == null) {
      o.get().violation("percent", "is required: the share of requests to copy, 0 to 100");
    }
    o.get().rejectUnknown();
    return percent == null ? null : new Step.Mirror(percent);
  }

  @Override
  public PlanDocument.StepDocument write(Step.Mirror step) {
    return PlanDocument.StepDocument.mirror(new PlanDocument.MirrorDocument(step.percent()));
  }

  @Override
  public String describe(Step.Mirror step) {
    return step.percent() == 0 ? "stop mirroring" : "mirror " + step.percent() + "%";
  }

  @Override
  public Set<RouterCapability> requires(Step.Mirror step) {
    return step.percent() == 0 ? Set.of() : Set.of(RouterCapability.MIRRORING);
  }

  @Override
  public Entry enter(Step.Mirror step, StepRun run) {
    return Entry.CONTINUE;
  }

  @Override
  public boolean complete(Step.Mirror step, StepRun run) {
    return run.routesApplied();
  }
}
