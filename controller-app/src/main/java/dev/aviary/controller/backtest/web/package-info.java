/** {@code POST /api/v1/plans/{name}/backtest}. */
@NullMarked
package dev.aviary.controller.backtest.web;

import org.jspecify.annotations.NullMarked;
