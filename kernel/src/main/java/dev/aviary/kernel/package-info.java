/**
 * What the engine, the controller and the CLI share: reading settings with every violation named,
 * durations, URLs, secret references, and what is retryable. JDK only.
 */
@NullMarked
package dev.aviary.kernel;

import org.jspecify.annotations.NullMarked;
