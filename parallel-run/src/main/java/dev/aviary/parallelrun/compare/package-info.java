/**
 * Comparing two answers to the same request: HTTP responses lifted to field paths and diffed
 * structurally ({@link dev.aviary.parallelrun.compare.Differ}), with ignore rules,
 * order-insensitive arrays and numeric tolerance ({@link
 * dev.aviary.parallelrun.compare.CompareOptions}).
 */
@NullMarked
package dev.aviary.parallelrun.compare;

import org.jspecify.annotations.NullMarked;
