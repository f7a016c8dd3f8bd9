/**
 * The judge benchmark: a simulated world of counts and latencies, plans run in it as the rollout
 * engine runs them, and the tables, chart and example figures in docs/ that come out of it.
 */
@NullMarked
package dev.aviary.bench.judges;

import org.jspecify.annotations.NullMarked;
