/** Amazon CloudWatch: GetMetricData through the AWS SDK v2. */
@NullMarked
package dev.aviary.analysis.metrics.cloudwatch;

import org.jspecify.annotations.NullMarked;
