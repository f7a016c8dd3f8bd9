/**
 * The {@code web} provider: any HTTP endpoint answering JSON, the number picked with a JSONPath.
 */
@NullMarked
package dev.aviary.analysis.metrics.json;

import org.jspecify.annotations.NullMarked;
