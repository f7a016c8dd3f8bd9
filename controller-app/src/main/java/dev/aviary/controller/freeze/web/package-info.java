/** {@code /api/v1/freezes}. */
@NullMarked
package dev.aviary.controller.freeze.web;

import org.jspecify.annotations.NullMarked;
