/** The dry-run router: records intended weights, moves no traffic. */
@NullMarked
package dev.aviary.controller.routing.dryrun;

import org.jspecify.annotations.NullMarked;
