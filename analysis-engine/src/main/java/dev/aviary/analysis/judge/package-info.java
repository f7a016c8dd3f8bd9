/** Judges, the judgement pipeline and its scoring; the judge registry and SPI. */
@NullMarked
package dev.aviary.analysis.judge;

import org.jspecify.annotations.NullMarked;
