package dev.aviary.parallelrun;

/**
 * Receives every result of the experiments of a {@link Laboratory}. Called on the thread that
 * finished the comparison; must be quick and must not throw (what it throws is logged and dropped).
 */
@FunctionalInterface
public interface Publisher {
  void publish(Result<?> result);
}
