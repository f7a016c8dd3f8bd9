package dev.aviary.controller.analysis;

/**
 * What one analysis tick means for the rollout, with Argo Rollouts' measurement meanings: a failure
 * counts toward {@code failureLimit}, an inconclusive toward {@code inconclusiveLimit}, an error
 * (the metrics backend could not answer) toward {@code consecutiveErrorLimit}. An undecided one (a
 * sequential judge has proven neither harm nor safety yet) counts toward nothing: the step waits,
 * up to the analysis's {@code maxDuration}.
 */
public enum AnalysisOutcome {
  SUCCESS,
  FAILURE,
  INCONCLUSIVE,
  UNDECIDED,
  ERROR
}
