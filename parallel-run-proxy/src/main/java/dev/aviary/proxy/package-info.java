/**
 * The comparing proxy: every caller is answered by the primary, a bounded share of safe requests is
 * mirrored to the candidate (and a secondary), and the answers are compared and reported.
 */
@NullMarked
package dev.aviary.proxy;

import org.jspecify.annotations.NullMarked;
