/** {@code POST /api/v1/judgements}. */
@NullMarked
package dev.aviary.controller.judgement.web;

import org.jspecify.annotations.NullMarked;
