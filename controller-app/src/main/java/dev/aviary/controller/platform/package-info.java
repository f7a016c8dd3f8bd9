/**
 * What every feature stands on and none owns: time, actors and plan access (implemented by
 * security), remote-call policies, refusals, Quartz job registration, the embedded database. Its
 * named interfaces: {@code web} (problem documents, request reading, pages), {@code secrets}
 * (sealing and opening secret references), {@code webhook} (signed HTTP posts) and {@code
 * kubernetes} (API clients). Depends on no feature.
 */
@ApplicationModule(
    displayName = "Platform",
    allowedDependencies = {})
@NullMarked
package dev.aviary.controller.platform;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
