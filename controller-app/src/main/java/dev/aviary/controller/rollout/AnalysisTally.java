package dev.aviary.controller.rollout;

import dev.aviary.analysis.judge.JudgeState;
import dev.aviary.controller.analysis.AnalysisOutcome;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/**
 * What a rollout's analyses have added up to: Argo-style counters, the last verdict, the end of the
 * last judged window, and what stateful judges remember.
 */
@Embeddable
class AnalysisTally {

  @Column(nullable = false)
  private int failures;

  @Column(nullable = false)
  private int inconclusives;

  @Column(name = "consecutive_errors", nullable = false)
  private int consecutiveErrors;

  @Column(name = "last_analysis_end")
  private @Nullable Instant lastEnd;

  @Column(name = "last_verdict")
  private @Nullable String lastVerdict;

  @Column(name = "last_score")
  private @Nullable Double lastScore;

  @Enumerated(EnumType.STRING)
  @Column(name = "last_outcome")
  private @Nullable AnalysisOutcome lastOutcome;

  @Convert(converter = JsonColumns.JudgeStates.class)
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "judge_state", nullable = false)
  private JudgeState judgeState = JudgeState.EMPTY;

  int failures() {
    return failures;
  }

  int inconclusives() {
    return inconclusives;
  }

  int consecutiveErrors() {
    return consecutiveErrors;
  }

  @Nullable Instant lastEnd() {
    return lastEnd;
  }

  @Nullable String lastVerdict() {
    return lastVerdict;
  }

  @Nullable Double lastScore() {
    return lastScore;
  }

  /** The last analysis's outcome at the current weight; null before one. */
  @Nullable AnalysisOutcome lastOutcome() {
    return lastOutcome;
  }

  JudgeState judgeState() {
    return judgeState;
  }

  /** Counts one analysis as Argo Rollouts does; answers whether it passed. */
  boolean record(
      AnalysisOutcome outcome,
      @Nullable String verdict,
      @Nullable Double score,
      JudgeState state,
      Instant windowEnd) {
    lastEnd = windowEnd;
    lastOutcome = outcome;
    lastVerdict = verdict;
    lastScore = score;
    judgeState = state;
    switch (outcome) {
      case SUCCESS, UNDECIDED -> consecutiveErrors = 0;
      case FAILURE -> {
        consecutiveErrors = 0;
        failures++;
      }
      case INCONCLUSIVE -> {
        consecutiveErrors = 0;
        inconclusives++;
      }
      case ERROR -> consecutiveErrors++;
    }
    return outcome == AnalysisOutcome.SUCCESS;
  }

  /** A new weight starts a new window, and must pass afresh before traffic rises again. */
  void windowRestarts() {
    lastEnd = null;
    lastOutcome = null;
  }

  /** A person promoted: their word stands for a passing analysis at the current weight. */
  void vouchedFor() {
    lastOutcome = AnalysisOutcome.SUCCESS;
  }

  /** A person resumed: the cause of pausing is dealt with, count afresh. */
  void forgiven() {
    inconclusives = 0;
    consecutiveErrors = 0;
  }

  void reset() {
    failures = 0;
    inconclusives = 0;
    consecutiveErrors = 0;
    lastEnd = null;
    lastVerdict = null;
    lastScore = null;
    lastOutcome = null;
    judgeState = JudgeState.EMPTY;
  }
}
