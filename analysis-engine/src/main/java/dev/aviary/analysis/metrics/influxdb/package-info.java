/** InfluxDB: 1.x through InfluxQL ({@code /query}), 2.x through Flux ({@code /api/v2/query}). */
@NullMarked
package dev.aviary.analysis.metrics.influxdb;

import org.jspecify.annotations.NullMarked;
