/** Grafana Loki: LogQL metric queries over its HTTP query API. */
@NullMarked
package dev.aviary.analysis.metrics.loki;

import org.jspecify.annotations.NullMarked;
