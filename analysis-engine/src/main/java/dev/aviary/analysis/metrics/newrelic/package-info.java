/** New Relic: NRQL through the NerdGraph GraphQL API. */
@NullMarked
package dev.aviary.analysis.metrics.newrelic;

import org.jspecify.annotations.NullMarked;
