/**
 * Traffic routers: the SPI ({@link dev.aviary.controller.routing.TrafficRouterFactory}, {@link
 * dev.aviary.controller.routing.TrafficRouter}) and the registry of adapters ({@link
 * dev.aviary.controller.routing.TrafficRouters}); each adapter lives in its own sub-package and
 * meets the others only through the SPI.
 */
@ApplicationModule(
    displayName = "Traffic routing",
    allowedDependencies = {"platform", "platform :: webhook", "platform :: kubernetes"})
@NullMarked
package dev.aviary.controller.routing;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
