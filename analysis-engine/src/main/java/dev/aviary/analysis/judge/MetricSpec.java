package dev.aviary.analysis.judge;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one metric is judged. Defaults follow Kayenta: direction {@code either}, NaN {@code remove},
 * outliers kept, effect-size gates at 1.0, not critical, data not required, group {@code default}.
 *
 * @param name unique within one judgement
 * @param group the scoring group the metric belongs to
 * @param weight the metric's weight within its group (Kayenta counts every metric as 1)
 * @param direction which movement fails the canary
 * @param critical a failing critical metric forces the score to 0
 * @param mustHaveData no data counts as a failure in the group score, not as absent
 * @param muted judged and reported, but left out of the score
 * @param nanStrategy what to do with gaps
 * @param outlierFactor the IQR factor k for outlier removal; null keeps outliers
 * @param effectSize the mean-ratio gates
 * @param threshold absolute bounds for the canary alone; null when only compared
 * @param judge the judge that compares canary with baseline; null when only thresholds apply
 */
public record MetricSpec(
    String name,
    String group,
    double weight,
    Direction direction,
    boolean critical,
    boolean mustHaveData,
    boolean muted,
    NanStrategy nanStrategy,
    @Nullable Double outlierFactor,
    EffectSize effectSize,
    @Nullable Threshold threshold,
    @Nullable JudgeOptions judge) {

  public static final String DEFAULT_GROUP = "default";

  public MetricSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(nanStrategy, "nanStrategy");
    Objects.requireNonNull(effectSize, "effectSize");
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight must be a positive number");
    }
  }

  /** A builder starting from the defaults. */
  public static Builder named(String name) {
    return new Builder(name);
  }

  public Builder toBuilder() {
    return new Builder(name)
        .group(group)
        .weight(weight)
        .direction(direction)
        .critical(critical)
        .mustHaveData(mustHaveData)
        .muted(muted)
        .nanStrategy(nanStrategy)
        .outlierFactor(outlierFactor)
        .effectSize(effectSize)
        .threshold(threshold)
        .judge(judge);
  }

  /** Builds a {@link MetricSpec}; every setter is optional. */
  public static final class Builder {
    private final String name;
    private @Nullable String group;
    private double weight = 1.0;
    private @Nullable Direction direction;
    private boolean critical;
    private boolean mustHaveData;
    private boolean muted;
    private @Nullable NanStrategy nanStrategy;
    private @Nullable Double outlierFactor;
    private @Nullable EffectSize effectSize;
    private @Nullable Threshold threshold;
    private @Nullable JudgeOptions judge;

    private Builder(String name) {
      this.name = name;
    }

    public Builder group(@Nullable String group) {
      this.group = group;
      return this;
    }

    public Builder weight(double weight) {
      this.weight = weight;
      return this;
    }

    public Builder direction(@Nullable Direction direction) {
      this.direction = direction;
      return this;
    }

    public Builder critical(boolean critical) {
      this.critical = critical;
      return this;
    }

    public Builder mustHaveData(boolean mustHaveData) {
      this.mustHaveData = mustHaveData;
      return this;
    }

    public Builder muted(boolean muted) {
      this.muted = muted;
      return this;
    }

    public Builder nanStrategy(@Nullable NanStrategy nanStrategy) {
      this.nanStrategy = nanStrategy;
      return this;
    }

    public Builder outlierFactor(@Nullable Double outlierFactor) {
      this.outlierFactor = outlierFactor;
      return this;
    }

    public Builder effectSize(@Nullable EffectSize effectSize) {
      this.effectSize = effectSize;
      return this;
    }

    public Builder threshold(@Nullable Threshold threshold) {
      this.threshold = threshold;
      return this;
    }

    public Builder judge(@Nullable JudgeOptions judge) {
      this.judge = judge;
      return this;
    }

    public MetricSpec build() {
      return new MetricSpec(
          name,
          group == null ? DEFAULT_GROUP : group,
          weight,
          direction == null ? Direction.EITHER : direction,
          critical,
          mustHaveData,
          muted,
          nanStrategy == null ? NanStrategy.REMOVE : nanStrategy,
          outlierFactor,
          effectSize == null ? EffectSize.DEFAULT : effectSize,
          threshold,
          judge);
    }
  }
}
