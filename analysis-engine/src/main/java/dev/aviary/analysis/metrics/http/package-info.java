/**
 * What HTTP-based providers share: sending with failures sorted into retryable and fatal, auth and
 * headers.
 */
@NullMarked
package dev.aviary.analysis.metrics.http;

import org.jspecify.annotations.NullMarked;
