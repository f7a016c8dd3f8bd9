/** The {@code aviary} command. */
@NullMarked
package dev.aviary.cli;

import org.jspecify.annotations.NullMarked;
