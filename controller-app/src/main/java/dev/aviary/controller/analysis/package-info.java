/**
 * One analysis of a rollout: fetch every metric through the remote-call policies, judge, and say
 * what it means ({@link dev.aviary.controller.analysis.AnalysisRunner}, {@link
 * dev.aviary.controller.analysis.AnalysisOutcome}).
 */
@ApplicationModule(
    displayName = "Analysis",
    allowedDependencies = {"platform", "plan"})
@NullMarked
package dev.aviary.controller.analysis;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
