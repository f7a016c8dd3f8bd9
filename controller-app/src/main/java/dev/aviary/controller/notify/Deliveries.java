package dev.aviary.controller.notify;

import dev.aviary.controller.plan.NotificationSpec;
import dev.aviary.controller.platform.webhook.WebhookException;
import dev.aviary.controller.platform.webhook.WebhookSender;
import dev.aviary.kernel.SecretResolver;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends one notice to one channel in the form its service takes: Aviary's event document or a
 * CloudEvent to a webhook, a chat message, a PagerDuty event, a GitHub commit status, an email.
 * Failures are {@link WebhookException}s (retryable or not) for the dispatcher to retry or give up.
 */
@Component
class Deliveries {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}");

  private final WebhookSender http;
  private final SecretResolver secrets;
  private final EmailSender email;
  private final JsonMapper json;

  Deliveries(WebhookSender http, SecretResolver secrets, EmailSender email, JsonMapper json) {
    this.http = http;
    this.secrets = secrets;
    this.email = email;
    this.json = json;
  }

  /** Delivers {@code notice}; {@code key} is the same for every attempt of this delivery. */
  void deliver(NotificationSpec channel, Notice notice, String key) {
    if (channel instanceof NotificationSpec.Webhook w) {
      webhook(w, notice, key);
    } else if (channel instanceof NotificationSpec.Chat c) {
      http.send(
          c.url() != null ? c.url() : secretUrl(c),
          "application/json",
          json.writeValueAsString(ChatMessages.message(c.service(), notice)),
          Map.of());
    } else if (channel instanceof NotificationSpec.PagerDuty p) {
      pagerDuty(p, notice);
    } else if (channel instanceof NotificationSpec.GitHub g) {
      gitHub(g, notice);
    } else if (channel instanceof NotificationSpec.Email e) {
      email.send(e, notice);
    } else {
      throw new IllegalStateException("no delivery for " + channel.type());
    }
  }

  private URI secretUrl(NotificationSpec.Chat c) {
    String text = secrets.resolve(java.util.Objects.requireNonNull(c.webhook())).strip();
    try {
      URI url = URI.create(text);
      if (url.getHost() == null || !url.getScheme().matches("https?")) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
      return url;
    } catch (IllegalArgumentException e) {
      // never the value: it is a credential
      throw new WebhookException(
          "the incoming webhook in " + c.webhook().describe() + " is not an http(s) URL", false, e);
    }
  }

  private void webhook(NotificationSpec.Webhook w, Notice notice, String key) {
    String body;
    if (w.cloudEvents()) {
      body = json.writeValueAsString(CloudEvents.of(notice));
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Idempotency-Key", key);
      if (w.signingSecret() != null) {
        headers.put(
            "X-Aviary-Signature",
            "sha256=" + WebhookSender.hmac(secrets.resolve(w.signingSecret()), body));
      }
      http.send(w.url(), CloudEvents.CONTENT_TYPE, body, headers);
      return;
    }
    body = json.writeValueAsString(notice.document());
    http.post(w.url(), body, w.signingSecret(), key);
  }

  /**
   * PagerDuty Events API v2: a promotion resolves the plan's alert, any other event triggers (or
   * updates) it; one alert per plan, so a rollback and the next good release meet.
   */
  private void pagerDuty(NotificationSpec.PagerDuty p, Notice notice) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("routing_key", secrets.resolve(p.routingKey()).strip());
    boolean resolve = notice.event().equals("promoted");
    event.put("event_action", resolve ? "resolve" : "trigger");
    event.put("dedup_key", "aviary/" + notice.plan());
    if (!resolve) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("rollout", notice.rollout());
      details.put("reason", notice.reason());
      notice.facts().forEach(details::put);
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("summary", cut(notice.headline() + ": " + notice.reason(), 1024));
      payload.put("source", "aviary");
      payload.put("severity", p.severity());
      payload.put("component", notice.plan());
      payload.put("group", "aviary");
      payload.put("class", notice.event());
      payload.put("custom_details", details);
      event.put("payload", payload);
      event.put("client", "Aviary");
      if (notice.link() != null) {
        event.put("client_url", notice.link());
        event.put("links", List.of(Map.of("href", notice.link(), "text", "The rollout in Aviary")));
      }
    }
    http.send(p.url(), "application/json", json.writeValueAsString(event), Map.of());
  }

  /** A commit status: pending while the rollout runs, then success, failure or error. */
  private void gitHub(NotificationSpec.GitHub g, Notice notice) {
    String sha = commit(g.commit(), notice.variables());
    String state =
        switch (notice.event()) {
          case "promoted" -> "success";
          case "rolledBack", "aborted", "rollingBack", "analysisFailed" -> "failure";
          case "failed" -> "error";
          default -> "pending";
        };
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("state", state);
    if (notice.link() != null) {
      status.put("target_url", notice.link());
    }
    status.put("description", cut(notice.headline(), 140));
    status.put("context", g.context() != null ? g.context() : "aviary/" + notice.plan());
    String base = g.apiUrl().toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    URI url = URI.create(base + "/repos/" + g.repository() + "/statuses/" + sha);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + secrets.resolve(g.token()).strip());
    headers.put("Accept", "application/vnd.github+json");
    headers.put("X-GitHub-Api-Version", "2022-11-28");
    http.send(url, "application/json", json.writeValueAsString(status), headers);
  }

  /**
   * The commit named by {@code template}, its {@code ${variables}} read from the release's metadata
   * and the canary's scope.
   */
  static String commit(String template, Map<String, String> variables) {
    Matcher m = VARIABLE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        throw new WebhookException(
            "the rollout has no "
                + m.group(1)
                + " for the commit status ("
                + template
                + "); start it with {\"metadata\": {\""
                + m.group(1)
                + "\": \"<the commit's SHA>\"}}",
            false,
            null);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    String sha = out.toString().strip();
    if (!SHA.matcher(sha).matches()) {
      throw new WebhookException(
          "the commit " + template + " is " + sha + ", not a 40-character SHA", false, null);
    }
    return sha;
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
