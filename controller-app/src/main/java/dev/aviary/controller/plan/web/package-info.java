/** {@code /api/v1/plans}: request and response records, the controller. */
@NullMarked
package dev.aviary.controller.plan.web;

import org.jspecify.annotations.NullMarked;
