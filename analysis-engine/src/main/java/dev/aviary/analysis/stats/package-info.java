/** Statistics the judges use, each checked against a slow reference in the tests. */
@NullMarked
package dev.aviary.analysis.stats;

import org.jspecify.annotations.NullMarked;
