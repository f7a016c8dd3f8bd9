/** Kayenta's fixed-horizon rank judge on series. */
@NullMarked
package dev.aviary.analysis.judge.mannwhitney;

import org.jspecify.annotations.NullMarked;
