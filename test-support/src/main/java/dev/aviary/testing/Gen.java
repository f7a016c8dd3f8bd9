package dev.aviary.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Seeded random inputs for property tests in plain JUnit. A property runs as a
 * {@code @ParameterizedTest} over {@link #seeds(int)}; a failure names its seed, and the same seed
 * generates the same case again. Sizes favour their bounds, where bugs live: one draw in eight
 * takes the smallest size and one in eight the largest.
 */
public final class Gen {

  private static final long BASE_SEED = 0x5EED_2026L;

  private final SplittableRandom random;

  public Gen(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** {@code count} distinct seeds, the same on every run. */
  public static Stream<Long> seeds(int count) {
    return LongStream.range(0, count).map(i -> BASE_SEED + 7919 * i).boxed();
  }

  /** A whole number in {@code [min, max]}. */
  public int between(int min, int max) {
    return random.nextInt(min, max + 1);
  }

  /** A number in {@code [min, max]} with at most {@code decimals} decimals. */
  public double between(double min, double max, int decimals) {
    double scale = Math.pow(10, decimals);
    long lo = (long) Math.ceil(min * scale);
    long hi = (long) Math.floor(max * scale);
    return random.nextLong(lo, hi + 1) / scale;
  }

  /** A number in {@code [min, max)} at full precision. */
  public double uniform(double min, double max) {
    return random.nextDouble(min, max);
  }

  public boolean bool() {
    return random.nextBoolean();
  }

  /** True with probability {@code 1 / n}. */
  public boolean oneIn(int n) {
    return random.nextInt(n) == 0;
  }

  @SafeVarargs
  public final <T> T of(T... options) {
    return options[random.nextInt(options.length)];
  }

  public <T> T of(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  /** A size in {@code [min, max]}, favouring both bounds. */
  public int size(int min, int max) {
    int roll = random.nextInt(8);
    if (roll == 0) {
      return min;
    }
    if (roll == 1) {
      return max;
    }
    return between(min, max);
  }

  /** An array of {@code size(min, max)} values drawn by {@code value}. */
  public double[] doubles(int minSize, int maxSize, Supplier<Double> value) {
    double[] out = new double[size(minSize, maxSize)];
    for (int i = 0; i < out.length; i++) {
      out[i] = value.get();
    }
    return out;
  }

  /** A list of {@code size(min, max)} elements drawn by {@code element}. */
  public <T> List<T> list(int minSize, int maxSize, Supplier<T> element) {
    int n = size(minSize, maxSize);
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(element.get());
    }
    return out;
  }

  /** The underlying generator, for distributions this class does not offer. */
  public SplittableRandom random() {
    return random;
  }
}
