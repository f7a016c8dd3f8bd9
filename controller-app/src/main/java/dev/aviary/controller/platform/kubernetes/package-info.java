/** The platform's {@code kubernetes} interface, open to every feature. */
@NamedInterface("kubernetes")
@NullMarked
package dev.aviary.controller.platform.kubernetes;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
