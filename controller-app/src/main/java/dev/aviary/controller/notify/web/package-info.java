/** {@code /api/v1/notifications}: the deliveries of notifications, and sending one again. */
@NullMarked
package dev.aviary.controller.notify.web;

import org.jspecify.annotations.NullMarked;
