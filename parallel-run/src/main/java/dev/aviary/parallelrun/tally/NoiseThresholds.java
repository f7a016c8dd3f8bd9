package dev.aviary.parallelrun.tally;

/**
 * When a field path's differences are noise: the rate at which the candidate differs from the
 * primary there is not clearly above the rate at which a second trusted instance (the secondary)
 * differs from it. A path is a real difference only when the candidate's rate {@code c} exceeds the
 * secondary's {@code s} by more than {@code absolute} and by more than {@code relative} of their
 * sum ({@code (c − s)/(c + s)}). Without a secondary answer for an endpoint nothing there is noise.
 * Diffy's rule, with its defaults (20 % relative, 0.03 % absolute).
 *
 * @param relative the least {@code (c − s)/(c + s)} of a real difference, in [0, 1)
 * @param absolute the least {@code c − s} of a real difference, in [0, 1)
 */
public record NoiseThresholds(double relative, double absolute) {

  public static final NoiseThresholds DEFAULT = new NoiseThresholds(0.2, 0.0003);

  public NoiseThresholds {
    if (!(relative >= 0 && relative < 1) || !(absolute >= 0 && absolute < 1)) {
      throw new IllegalArgumentException("noise thresholds must lie in [0, 1)");
    }
  }

  /**
   * Whether a path is noise, from how often the candidate and the secondary differed there.
   *
   * @param candidate requests in which the candidate differed there
   * @param compared requests compared with the candidate
   * @param secondary requests in which the secondary differed there
   * @param secondaryCompared requests compared with the secondary
   */
  public boolean isNoise(long candidate, long compared, long secondary, long secondaryCompared) {
    if (secondaryCompared <= 0 || compared <= 0 || candidate <= 0) {
      return false;
    }
    double c = (double) candidate / compared;
    double s = (double) secondary / secondaryCompared;
    return !(c - s > absolute && (c - s) / (c + s) > relative);
  }
}
