/** The platform's {@code web} interface, open to every feature. */
@NamedInterface("web")
@NullMarked
package dev.aviary.controller.platform.web;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
