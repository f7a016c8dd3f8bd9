package dev.aviary.controller.parallelrun;

import dev.aviary.controller.rollout.ComparisonTotals;
import dev.aviary.parallelrun.report.ComparisonReport;
import dev.aviary.parallelrun.tally.ComparisonSummary;
import dev.aviary.parallelrun.tally.NoiseThresholds;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The stored reports of a rollout, added up. */
@Component
class StoredComparisonTotals implements ComparisonTotals {

  private final ComparisonStore store;

  StoredComparisonTotals(ComparisonStore store) {
    this.store = store;
  }

  @Override
  public ComparisonSummary since(UUID rollout, Instant from, NoiseThresholds noise) {
    ComparisonSummary.Builder b = ComparisonSummary.builder();
    for (List<ComparisonReport.EndpointCounts> counts : store.counts(rollout, from)) {
      counts.forEach(b::add);
    }
    return b.build(noise);
  }
}
