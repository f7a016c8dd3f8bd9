/** The HAProxy router: server weights through the runtime API. */
@NullMarked
package dev.aviary.controller.routing.haproxy;

import org.jspecify.annotations.NullMarked;
