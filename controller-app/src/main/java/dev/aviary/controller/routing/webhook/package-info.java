/** The webhook router: weights posted to an HTTP endpoint of your own. */
@NullMarked
package dev.aviary.controller.routing.webhook;

import org.jspecify.annotations.NullMarked;
