package dev.aviary.controller.platform;

/** Implemented by failures that know whether trying again can help. */
public interface Retryability {

  boolean retryable();
}
