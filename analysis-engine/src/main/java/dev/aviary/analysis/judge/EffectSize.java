package dev.aviary.analysis.judge;

/**
 * Effect-size gates on the mean ratio (mean canary / mean baseline), checked only after the
 * Mann-Whitney interval is significant, with Kayenta's names and defaults (all 1.0).
 *
 * @param allowedIncrease a significant increase counts as HIGH only at or above this ratio
 * @param allowedDecrease a significant decrease counts as LOW only at or below this ratio
 * @param criticalIncrease a critical metric's HIGH fails the whole judgement at or above this
 * @param criticalDecrease a critical metric's LOW fails the whole judgement at or below this
 */
public record EffectSize(
    double allowedIncrease,
    double allowedDecrease,
    double criticalIncrease,
    double criticalDecrease) {

  public static final EffectSize DEFAULT = new EffectSize(1.0, 1.0, 1.0, 1.0);
}
