/**
 * The outbound policy: which destinations plans may name ({@link
 * dev.aviary.controller.platform.outbound.Destinations}), offered to every feature as the kernel's
 * {@link dev.aviary.kernel.OutboundPolicy}.
 */
@NullMarked
package dev.aviary.controller.platform.outbound;

import org.jspecify.annotations.NullMarked;
