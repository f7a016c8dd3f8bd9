/** The Prometheus provider (and API-compatible stores). */
@NullMarked
package dev.aviary.analysis.metrics.prometheus;

import org.jspecify.annotations.NullMarked;
