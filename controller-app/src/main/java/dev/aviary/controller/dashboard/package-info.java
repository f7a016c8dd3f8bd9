/**
 * The web dashboard: one page shell ({@code static/index.html}) and an ES-module application
 * ({@code static/assets/}) that reads and acts through the same public {@code /api/v1} API as the
 * CLI, signed in with a session cookie (see {@code security.DashboardSessions}). This module only
 * serves the shell for the dashboard's addresses; it has no data of its own.
 */
@ApplicationModule(
    displayName = "Dashboard",
    allowedDependencies = {})
@NullMarked
package dev.aviary.controller.dashboard;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
