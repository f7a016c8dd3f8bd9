/**
 * The sequential judge: anytime-valid evidence about a rate ratio, accumulated over a whole
 * rollout, for count metrics and for latency histograms.
 */
@NullMarked
package dev.aviary.analysis.judge.sequential;

import org.jspecify.annotations.NullMarked;
