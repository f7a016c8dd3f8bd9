package dev.aviary.analysis.judge;

import java.util.List;
import java.util.Map;

/**
 * The outcome of judging one interval.
 *
 * @param verdict the overall outcome
 * @param score 0..100, two decimals
 * @param groupScores per group with at least one classified metric, 0..100
 * @param metrics one result per metric, in input order
 * @param reason a sentence on what decided the verdict
 * @param state what stateful judges carry to the next tick
 */
public record Judgement(
    Verdict verdict,
    double score,
    Map<String, Double> groupScores,
    List<MetricResult> metrics,
    String reason,
    JudgeState state) {}
