package dev.aviary.controller.platform.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code GET /} in a browser leads to the API's documentation, not to an error page. */
@Controller
class RootRedirect {

  @GetMapping("/")
  String root() {
    return "redirect:/swagger-ui.html";
  }
}
