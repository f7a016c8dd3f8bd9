/** The controller application: one module per feature (see each package's {@code package-info}). */
@NullMarked
package dev.aviary.controller;

import org.jspecify.annotations.NullMarked;
