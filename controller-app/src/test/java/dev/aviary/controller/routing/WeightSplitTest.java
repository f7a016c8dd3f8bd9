package dev.aviary.controller.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeightSplitTest {

  /**
   * Every change between any two weights, on 1 to 3 stable and canary servers, applied one server
   * at a time in {@link WeightSplit#applyOrder}: each state on the way splits traffic between the
   * old and the new share, and some server always takes traffic. (Lowering stable first on the way
   * up from 0 % would leave every server at 0 — no server at all — for a moment.)
   */
  @Test
  void everyStateOnTheWayLiesBetweenTheOldAndTheNewShare() {
    for (int stable = 1; stable <= 3; stable++) {
      for (int canary = 1; canary <= 3; canary++) {
        WeightSplit split = new WeightSplit(256, stable, canary);
        for (int from = 0; from <= 100; from++) {
          for (int to = 0; to <= 100; to++) {
            int[] now = split.encode(from);
            int[] target = split.encode(to);
            double low = Math.min(share(now, stable), share(target, stable));
            double high = Math.max(share(now, stable), share(target, stable));
            for (int i : WeightSplit.applyOrder(now, target)) {
              now[i] = target[i];
              assertThat(total(now)).as("%d -> %d", from, to).isPositive();
              assertThat(share(now, stable))
                  .as("%d%% -> %d%% on %d+%d servers", from, to, stable, canary)
                  .isBetween(low - 1e-9, high + 1e-9);
            }
            assertThat(now).isEqualTo(target);
          }
        }
      }
    }
  }

  private static double share(int[] weights, int stable) {
    long canary = 0;
    for (int i = stable; i < weights.length; i++) {
      canary += weights[i];
    }
    return (double) canary / total(weights);
  }

  private static long total(int[] weights) {
    long t = 0;
    for (int w : weights) {
      t += w;
    }
    return t;
  }
}
