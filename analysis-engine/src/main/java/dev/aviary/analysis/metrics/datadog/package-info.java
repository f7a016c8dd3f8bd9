/** Datadog's metrics query API ({@code GET /api/v1/query}). */
@NullMarked
package dev.aviary.analysis.metrics.datadog;

import org.jspecify.annotations.NullMarked;
