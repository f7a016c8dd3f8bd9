package dev.aviary.controller.parallelrun;

import dev.aviary.controller.platform.NotFoundException;
import dev.aviary.controller.rollout.ParallelRuns;
import dev.aviary.parallelrun.report.ComparisonReport;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * The parallel-run feature's face: takes reports in, attributes them to the plan's running rollout,
 * and adds them up.
 */
@Service
public class ComparisonService {

  /**
   * What a reporter is told.
   *
   * @param rolloutId the plan's active rollout, to send with the next report; null when none
   * @param sample the share of requests to compare now
   * @param stored whether this report's counts were stored (false: no rollout it belongs to, or
   *     stored before)
   */
  public record Answer(@Nullable UUID rolloutId, double sample, boolean stored) {}

  private final ComparisonStore store;
  private final ParallelRuns runs;
  private final Clock clock;

  ComparisonService(ComparisonStore store, ParallelRuns runs, Clock clock) {
    this.store = store;
    this.runs = runs;
    this.clock = clock;
  }

  /**
   * Stores {@code report} for the rollout it names when that is {@code plan}'s active rollout;
   * answers the rollout and share to compare from now on.
   */
  public Answer accept(String plan, ComparisonReport report) {
    Optional<ParallelRuns.Target> target = runs.target(plan);
    boolean stored = false;
    String named = report.rolloutId();
    if (target.isPresent() && named != null && target.get().rolloutId().toString().equals(named)) {
      stored = store.insert(target.get().rolloutId(), report, clock.instant());
    }
    return target.isPresent()
        ? new Answer(target.get().rolloutId(), target.get().sample(), stored)
        : new Answer(null, 0, false);
  }

  /** The rollout's parallel run with its latest samples. */
  public Comparisons comparisons(UUID rollout, int samples) {
    ParallelRuns.State state =
        runs.state(rollout)
            .orElseThrow(
                () -> new NotFoundException("rollout " + rollout + " has no parallel-run step"));
    return new Comparisons(rollout, state, store.samples(rollout, samples));
  }

  /**
   * A rollout's comparisons.
   *
   * @param samples the latest mismatching exchanges kept, redacted
   */
  public record Comparisons(
      UUID rolloutId, ParallelRuns.State state, List<ComparisonReport.Sample> samples) {}
}
