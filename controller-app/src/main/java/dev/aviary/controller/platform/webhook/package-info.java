/** The platform's {@code webhook} interface, open to every feature. */
@NamedInterface("webhook")
@NullMarked
package dev.aviary.controller.platform.webhook;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
