package dev.aviary.controller.judgement;

import dev.aviary.analysis.judge.GroupWeights;
import dev.aviary.analysis.judge.JudgeOptions;
import dev.aviary.analysis.judge.JudgeState;
import dev.aviary.analysis.judge.MetricInput;
import dev.aviary.analysis.judge.ScoreThresholds;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A request to judge inline data, with no rollout and nothing stored.
 *
 * @param judge which judge and its settings
 * @param thresholds score thresholds
 * @param groupWeights weights of the metric groups
 * @param metrics the data and options of each metric
 * @param state what sequential judges remembered at the previous tick
 */
public record JudgementRequest(
    @Nullable JudgeOptions judge,
    ScoreThresholds thresholds,
    GroupWeights groupWeights,
    List<MetricInput> metrics,
    JudgeState state) {}
