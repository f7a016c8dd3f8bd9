package dev.aviary.controller.rollout;

import dev.aviary.analysis.parallelrun.MismatchRateGate;
import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.controller.plan.Step;
import dev.aviary.parallelrun.tally.ComparisonSummary;
import dev.aviary.parallelrun.tally.NoiseThresholds;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the rollout feature tells about parallel runs: which rollout of a plan a comparing proxy's
 * counts belong to and how much traffic it should compare, and a rollout's comparisons for people.
 */
@Service
public class ParallelRuns {

  /**
   * Where a plan's comparisons go.
   *
   * @param rolloutId the plan's active rollout
   * @param sample the share of requests to compare: the parallel-run step's while the rollout is in
   *     it or past it (comparison goes on during the canary), 0 before it or without one
   */
  public record Target(UUID rolloutId, double sample) {}

  /**
   * A rollout's parallel run, for its status.
   *
   * @param step the one-based number of the plan's parallel-run step
   * @param active whether the rollout is in that step now
   * @param verdict while active, the gate's current decision: WAIT, NODATA, UNDECIDED (PASS and
   *     FAIL end the step); otherwise null
   * @param reason the decision in words, or the summary's when not active
   * @param maxMismatchRate the step's limit
   * @param summary every comparison reported for the rollout
   */
  public record State(
      int step,
      boolean active,
      @Nullable String verdict,
      String reason,
      double maxMismatchRate,
      ComparisonSummary summary) {}

  private final RolloutRepository rollouts;
  private final PlanSnapshots snapshots;
  private final ComparisonTotals totals;
  private final Clock clock;
  private final TransactionTemplate readOnly;

  ParallelRuns(
      RolloutRepository rollouts,
      PlanSnapshots snapshots,
      ComparisonTotals totals,
      Clock clock,
      PlatformTransactionManager transactions) {
    this.rollouts = rollouts;
    this.snapshots = snapshots;
    this.totals = totals;
    this.clock = clock;
    this.readOnly = new TransactionTemplate(transactions);
    this.readOnly.setReadOnly(true);
  }

  /** The plan's active rollout and the share to compare; empty when it has none. */
  public Optional<Target> target(String plan) {
    Optional<Target> found =
        readOnly.execute(
            status -> {
              Optional<Rollout> active = rollouts.findActive(plan);
              if (active.isEmpty()) {
                return Optional.<Target>empty();
              }
              Rollout r = active.get();
              Step.ParallelRun step = current(r, snapshots.of(r));
              double sample =
                  step != null && (r.phase() == Phase.PROGRESSING || r.phase() == Phase.PAUSED)
                      ? step.sample()
                      : 0;
              return Optional.of(new Target(r.id(), sample));
            });
    return found == null ? Optional.empty() : found;
  }

  /** The parallel-run step at or before the rollout's current step, if any has begun. */
  private static Step.@Nullable ParallelRun current(Rollout r, PlanSpec plan) {
    List<Step> steps = plan.steps();
    Step.ParallelRun found = null;
    for (int i = 0; i < Math.min(steps.size(), r.stepIndex() + 1); i++) {
      if (steps.get(i) instanceof Step.ParallelRun p && (i < r.stepIndex() || r.stepEntered())) {
        found = p;
      }
    }
    return found;
  }

  /** The rollout's parallel run, or empty when its plan has none. */
  public Optional<State> state(UUID id) {
    Optional<State> found =
        readOnly.execute(
            status -> {
              Rollout r = rollouts.findById(id).orElse(null);
              if (r == null) {
                return Optional.<State>empty();
              }
              PlanSpec plan = snapshots.of(r);
              List<Step> steps = plan.steps();
              int index = -1;
              for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i) instanceof Step.ParallelRun) {
                  index = i;
                  break;
                }
              }
              if (index < 0) {
                return Optional.<State>empty();
              }
              Step.ParallelRun step = (Step.ParallelRun) steps.get(index);
              NoiseThresholds noise = ParallelRunGate.noise(step);
              Instant started = r.stepStartedAt();
              boolean active =
                  r.stepIndex() == index
                      && r.stepEntered()
                      && started != null
                      && !r.phase().terminal();
              Instant since =
                  active && started != null
                      ? ParallelRunGate.judgedFrom(step, started)
                      : r.createdAt();
              ComparisonSummary s = totals.since(r.id(), since, noise);
              if (active && started != null) {
                MismatchRateGate.Decision d =
                    ParallelRunGate.decide(s, step, started, clock.instant());
                return Optional.of(
                    new State(
                        index + 1,
                        true,
                        d.verdict().name(),
                        d.reason(),
                        step.maxMismatchRate(),
                        s));
              }
              return Optional.of(
                  new State(index + 1, false, null, words(s), step.maxMismatchRate(), s));
            });
    return found == null ? Optional.empty() : found;
  }

  private static String words(ComparisonSummary s) {
    List<String> parts = new ArrayList<>();
    parts.add(s.mismatches() + " of " + s.comparisons() + " comparisons mismatched");
    if (s.noisy() > 0) {
      parts.add(s.noisy() + " differed only in noise");
    }
    if (s.skipped() > 0) {
      parts.add(s.skipped() + " skipped");
    }
    return String.join(", ", parts);
  }
}
