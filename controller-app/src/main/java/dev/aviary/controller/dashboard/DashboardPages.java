package dev.aviary.controller.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Every dashboard address is the same page shell: the browser application routes on the path, so a
 * link to a rollout or a reload lands on the right view.
 */
@Controller
class DashboardPages {

  @GetMapping({
    "/",
    "/sign-in",
    "/rollouts",
    "/rollouts/{id}",
    "/approvals/{token}",
    "/plans",
    "/plans/{name}",
    "/tokens",
    "/audit"
  })
  String shell() {
    return "forward:/index.html";
  }
}
