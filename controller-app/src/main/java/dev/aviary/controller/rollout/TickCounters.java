package dev.aviary.controller.rollout;

import dev.aviary.controller.analysis.AnalysisOutcome;

/** What a tick counts for the metrics a release engineer watches. */
interface TickCounters {

  void analysed(AnalysisOutcome outcome);

  void routerFailed(String routerType);
}
