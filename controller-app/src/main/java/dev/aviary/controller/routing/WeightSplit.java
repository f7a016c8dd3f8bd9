package dev.aviary.controller.routing;

import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Turns a canary percentage into per-server weights for a group of stable and a group of canary
 * servers, and back. The canary group together carries {@code weight} percent of {@code scale}, the
 * stable group the rest, each spread evenly over its servers. Decoding answers the percentage whose
 * encoding the weights are exactly, or the nearest percentage when someone else set them.
 */
public final class WeightSplit {

  private final int scale;
  private final int stableServers;
  private final int canaryServers;

  /**
   * @param scale the total weight to share (HAProxy: 256; nginx: 100)
   * @param stableServers servers in the stable group, at least one
   * @param canaryServers servers in the canary group, at least one
   */
  public WeightSplit(int scale, int stableServers, int canaryServers) {
    if (stableServers < 1 || canaryServers < 1) {
      throw new IllegalArgumentException("each group needs a server");
    }
    this.scale = scale;
    this.stableServers = stableServers;
    this.canaryServers = canaryServers;
  }

  /** Per-server weights: stable servers first, then canary servers. */
  public int[] encode(int canaryPercent) {
    if (canaryPercent < 0 || canaryPercent > 100) {
      throw new IllegalArgumentException("weight must be 0..100");
    }
    int canaryTotal = (int) Math.round(canaryPercent * (double) scale / 100);
    int stableTotal = scale - canaryTotal;
    int[] weights = new int[stableServers + canaryServers];
    spread(stableTotal, weights, 0, stableServers);
    spread(canaryTotal, weights, stableServers, canaryServers);
    return weights;
  }

  private static void spread(int total, int[] into, int from, int count) {
    int each = total / count;
    int extra = total % count;
    for (int i = 0; i < count; i++) {
      into[from + i] = each + (i < extra ? 1 : 0);
    }
  }

  /** The canary percentage that {@code weights} (stable first, then canary) express. */
  public OptionalInt decode(int[] weights) {
    if (weights.length != stableServers + canaryServers) {
      throw new IllegalArgumentException(
          "expected " + (stableServers + canaryServers) + " weights");
    }
    for (int w = 0; w <= 100; w++) {
      if (Arrays.equals(encode(w), weights)) {
        return OptionalInt.of(w);
      }
    }
    long stable = 0;
    long canary = 0;
    for (int i = 0; i < weights.length; i++) {
      if (i < stableServers) {
        stable += weights[i];
      } else {
        canary += weights[i];
      }
    }
    if (stable + canary == 0) {
      return OptionalInt.empty(); // nothing gets traffic: no percentage describes it
    }
    return OptionalInt.of((int) Math.round(100.0 * canary / (stable + canary)));
  }

  /**
   * The order in which to set {@code to} over {@code from}, one server at a time, so that every
   * state in between splits traffic between the old and the new share and never leaves all servers
   * at weight 0: the servers whose weight rises first, then the others. (Raising the canary first
   * and lowering stable after, the canary's share only grows towards the new one; the other way
   * round, only shrinks; and the total never dips below either end's.)
   */
  public static int[] applyOrder(int[] from, int[] to) {
    if (from.length != to.length) {
      throw new IllegalArgumentException("from and to must name the same servers");
    }
    int[] order = new int[to.length];
    int k = 0;
    for (int i = 0; i < to.length; i++) {
      if (to[i] > from[i]) {
        order[k++] = i;
      }
    }
    for (int i = 0; i < to.length; i++) {
      if (to[i] <= from[i]) {
        order[k++] = i;
      }
    }
    return order;
  }
}
