package dev.aviary.proxy;

import java.util.function.LongSupplier;

/** A token bucket: {@code perSecond} permits a second, bursts up to one second's worth. */
final class RateLimiter {

  private final double perNano;
  private final double capacity;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;

  RateLimiter(double perSecond, LongSupplier nanoTime) {
    this.perNano = perSecond / 1e9;
    this.capacity = Math.max(1, perSecond);
    this.nanoTime = nanoTime;
    this.tokens = capacity;
    this.last = nanoTime.getAsLong();
  }

  synchronized boolean tryAcquire() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(capacity, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
