package dev.aviary.controller.rollout;

import dev.aviary.controller.analysis.AnalysisRun;
import java.time.Instant;

/** Where a tick keeps each analysis it ran: in the rollout's transaction, with everything else. */
interface AnalysisLog {

  void record(Rollout r, AnalysisRun run, Instant now);
}
