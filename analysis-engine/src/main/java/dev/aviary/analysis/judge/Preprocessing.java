package dev.aviary.analysis.judge;

import dev.aviary.analysis.stats.Outliers;
import java.util.Arrays;

/**
 * A series metric's values as judges see them: NaN handling first, then optional outlier removal,
 * each side separately (as Kayenta).
 */
public final class Preprocessing {

  private Preprocessing() {}

  public static double[] apply(double[] values, MetricSpec spec, boolean removeOutliers) {
    double[] cleaned =
        switch (spec.nanStrategy()) {
          case REMOVE -> Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
          case REPLACE -> Arrays.stream(values).map(v -> Double.isNaN(v) ? 0.0 : v).toArray();
        };
    if (removeOutliers && spec.outlierFactor() != null) {
      cleaned = Outliers.removeIqr(cleaned, spec.outlierFactor());
    }
    return cleaned;
  }
}
