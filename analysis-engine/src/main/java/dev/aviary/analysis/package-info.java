/** The analysis engine: plain Java, no Spring. Failures say whether retrying helps. */
@NullMarked
package dev.aviary.analysis;

import org.jspecify.annotations.NullMarked;
