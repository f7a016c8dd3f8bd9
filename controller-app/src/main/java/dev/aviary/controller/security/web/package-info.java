/** {@code /api/v1/tokens}, {@code /audit}, {@code /settings}, {@code /whoami}. */
@NullMarked
package dev.aviary.controller.security.web;

import org.jspecify.annotations.NullMarked;
