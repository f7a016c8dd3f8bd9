/** Graphite's render API ({@code GET /render?format=json}). */
@NullMarked
package dev.aviary.analysis.metrics.graphite;

import org.jspecify.annotations.NullMarked;
