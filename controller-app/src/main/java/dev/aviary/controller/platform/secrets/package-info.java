/** The platform's {@code secrets} interface, open to every feature. */
@NamedInterface("secrets")
@NullMarked
package dev.aviary.controller.platform.secrets;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
