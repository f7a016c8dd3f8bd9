/** The Kubernetes Gateway API router: HTTPRoute backend weights. */
@NullMarked
package dev.aviary.controller.routing.gatewayapi;

import org.jspecify.annotations.NullMarked;
