/** The Istio router: VirtualService route weights. */
@NullMarked
package dev.aviary.controller.routing.istio;

import org.jspecify.annotations.NullMarked;
