package dev.aviary.kernel;

/**
 * Implemented by every failure that knows whether trying again can help. Retry policies and circuit
 * breakers key on it: a retryable failure is retried and counts against a backend's breaker; a
 * fatal one repeats until someone changes something and is neither.
 */
public interface Retryability {

  boolean retryable();
}
