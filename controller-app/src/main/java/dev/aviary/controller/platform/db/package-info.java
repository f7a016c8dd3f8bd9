/** The embedded PostgreSQL, used when no database is configured. */
@NullMarked
package dev.aviary.controller.platform.db;

import org.jspecify.annotations.NullMarked;
