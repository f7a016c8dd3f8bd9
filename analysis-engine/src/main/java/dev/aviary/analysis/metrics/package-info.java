/**
 * The metric-provider SPI, the registry that discovers providers, queries and the data they answer.
 */
@NullMarked
package dev.aviary.analysis.metrics;

import org.jspecify.annotations.NullMarked;
