/** The nginx router: upstream weights in a generated include, reloaded after {@code nginx -t}. */
@NullMarked
package dev.aviary.controller.routing.nginx;

import org.jspecify.annotations.NullMarked;
