/**
 * What a comparing proxy or an experiment sends the controller: counts since its last report, per
 * endpoint and field path, and a few redacted examples ({@link
 * dev.aviary.parallelrun.report.ComparisonReport}); and the client that sends them ({@link
 * dev.aviary.parallelrun.report.ControllerReporter}).
 */
@NullMarked
package dev.aviary.parallelrun.report;

import org.jspecify.annotations.NullMarked;
