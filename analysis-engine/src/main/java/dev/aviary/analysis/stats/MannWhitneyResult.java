package dev.aviary.analysis.stats;

/**
 * Outcome of a {@link MannWhitney} test.
 *
 * @param w the rank-sum statistic of the canary, R's {@code W} (equal to its Mann-Whitney U)
 * @param z the standardized statistic at zero shift (NaN when every observation is tied)
 * @param pValue two-sided p-value
 * @param lowerBound lower end of the confidence interval of the shift canary - baseline
 * @param upperBound upper end of that interval
 * @param estimate Hodges-Lehmann estimate of the shift: the median of all pairwise differences
 */
public record MannWhitneyResult(
    double w, double z, double pValue, double lowerBound, double upperBound, double estimate) {}
