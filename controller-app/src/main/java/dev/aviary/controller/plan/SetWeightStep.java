package dev.aviary.controller.plan;

import dev.aviary.kernel.SettingsReader;
import org.jspecify.annotations.Nullable;

/** {@code {"setWeight": 10}}: send that share of traffic to the canary. */
final class SetWeightStep implements StepHandler<Step.SetWeight> {

  @Override
  public String kind() {
    return "setWeight";
  }

  @Override
  public Class<Step.SetWeight> type() {
    return Step.SetWeight.class;
  }

  @Override
  public Step.@Nullable SetWeight read(SettingsReader s, StepReading context) {
    Integer w = s.optionalInteger(kind(), 0, 100);
    if (w == null) {
      if (s.raw().get(kind()) == null) {
        s.violation(kind(), "must be a whole number between 0 and 100");
      }
      return null;
    }
    if (w < context.previousWeight()) {
      s.violation(
          kind(),
          "must not be lower than the weight before it ("
              + context.previousWeight()
              + " at "
              + context.previousWeightAt()
              + "); weights only rise");
    }
    return new Step.SetWeight(w);
  }

  @Override
  public PlanDocument.StepDocument write(Step.SetWeight step) {
    return new PlanDocument.StepDocument(step.weight(), null, null);
  }

  @Override
  public String describe(Step.SetWeight step) {
    return "setWeight " + step.weight() + "%";
  }

  @Override
  public Entry enter(Step.SetWeight step, StepRun run) {
    if (step.weight() != run.canaryWeight()) {
      run.wantWeight(step.weight());
      return Entry.WEIGHT_WANTED;
    }
    return Entry.CONTINUE;
  }

  /**
   * Complete when the router holds the weight and, with analysis, an analysis passed at it. At 100%
   * the baseline gets no traffic, so there is nothing to compare with: full exposure is promotion.
   * Judge before it by ending the ramp below 100.
   */
  @Override
  public boolean complete(Step.SetWeight step, StepRun run) {
    return run.canaryWeight() == step.weight()
        && (!run.hasAnalysis() || step.weight() == 100 || run.passingAnalyses() >= 1);
  }
}
