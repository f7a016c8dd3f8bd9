package dev.aviary.controller.notify;

import dev.aviary.controller.plan.NotificationSpec.ChatService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A notice as each chat service's incoming webhook takes it: a Slack Block Kit message, a Microsoft
 * Teams Adaptive Card, a Google Chat card. Each carries a plain-text fallback, the headline, the
 * reason, the facts and, when Aviary knows its public address, a button to the rollout.
 */
final class ChatMessages {

  /** Slack's limit on a section's text; Teams and Google Chat take as much. */
  static final int MAX_TEXT = 3000;

  private ChatMessages() {}

  static Map<String, Object> message(ChatService service, Notice n) {
    return switch (service) {
      case SLACK -> slack(n);
      case TEAMS -> teams(n);
      case GOOGLE_CHAT -> googleChat(n);
    };
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static String mark(Notice.Tone tone) {
    return switch (tone) {
      case GOOD -> "✅";
      case BAD -> "🔴";
      case ATTENTION -> "⏸️";
      case INFO -> "ℹ️";
    };
  }

  /** Slack's mrkdwn treats {@code &}, {@code <} and {@code >} as markup. */
  private static String slackEscape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  static Map<String, Object> slack(Notice n) {
    List<Object> blocks = new ArrayList<>();
    blocks.add(
        Map.of(
            "type",
            "header",
            "text",
            Map.of("type", "plain_text", "text", cut(mark(n.tone()) + " " + n.headline(), 150))));
    blocks.add(
        Map.of(
            "type",
            "section",
            "text",
            Map.of("type", "mrkdwn", "text", cut(slackEscape(n.reason()), MAX_TEXT))));
    List<Object> fields = new ArrayList<>();
    n.facts()
        .forEach(
            (k, v) ->
                fields.add(Map.of("type", "mrkdwn", "text", "*" + k + "*\n" + slackEscape(v))));
    blocks.add(Map.of("type", "section", "fields", fields.subList(0, Math.min(10, fields.size()))));
    List<Object> buttons = new ArrayList<>();
    if (n.approvalLink() != null) {
      buttons.add(
          Map.of(
              "type",
              "button",
              "text",
              Map.of("type", "plain_text", "text", "Approve or reject…"),
              "style",
              "primary",
              "url",
              n.approvalLink(),
              "action_id",
              "answer-approval"));
    }
    if (n.link() != null) {
      buttons.add(
          Map.of(
              "type",
              "button",
              "text",
              Map.of("type", "plain_text", "text", "Open in Aviary"),
              "url",
              n.link(),
              "action_id",
              "open-rollout"));
    }
    if (!buttons.isEmpty()) {
      blocks.add(Map.of("type", "actions", "elements", buttons));
    }
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("text", cut(n.headline() + ": " + n.reason(), MAX_TEXT));
    message.put("blocks", blocks);
    return message;
  }

  static Map<String, Object> teams(Notice n) {
    List<Object> body = new ArrayList<>();
    body.add(
        Map.of(
            "type",
            "TextBlock",
            "size",
            "Medium",
            "weight",
            "Bolder",
            "wrap",
            true,
            "color",
            switch (n.tone()) {
              case GOOD -> "Good";
              case BAD -> "Attention";
              case ATTENTION -> "Warning";
              case INFO -> "Default";
            },
            "text",
            n.headline()));
    body.add(Map.of("type", "TextBlock", "wrap", true, "text", cut(n.reason(), MAX_TEXT)));
    List<Object> facts = new ArrayList<>();
    n.facts().forEach((k, v) -> facts.add(Map.of("title", k, "value", v)));
    body.add(Map.of("type", "FactSet", "facts", facts));
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    card.put("type", "AdaptiveCard");
    card.put("version", "1.4");
    card.put("body", body);
    List<Object> actions = new ArrayList<>();
    if (n.approvalLink() != null) {
      actions.add(
          Map.of("type", "Action.OpenUrl", "title", "Approve or reject…", "url", n.approvalLink()));
    }
    if (n.link() != null) {
      actions.add(Map.of("type", "Action.OpenUrl", "title", "Open in Aviary", "url", n.link()));
    }
    if (!actions.isEmpty()) {
      card.put("actions", actions);
    }
    Map<String, Object> attachment = new LinkedHashMap<>();
    attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
    attachment.put("content", card);
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("type", "message");
    message.put("attachments", List.of(attachment));
    return message;
  }

  static Map<String, Object> googleChat(Notice n) {
    List<Object> widgets = new ArrayList<>();
    widgets.add(Map.of("textParagraph", Map.of("text", cut(n.reason(), MAX_TEXT))));
    n.facts()
        .forEach((k, v) -> widgets.add(Map.of("decoratedText", Map.of("topLabel", k, "text", v))));
    List<Object> buttons = new ArrayList<>();
    if (n.approvalLink() != null) {
      buttons.add(
          Map.of(
              "text",
              "Approve or reject…",
              "onClick",
              Map.of("openLink", Map.of("url", n.approvalLink()))));
    }
    if (n.link() != null) {
      buttons.add(
          Map.of("text", "Open in Aviary", "onClick", Map.of("openLink", Map.of("url", n.link()))));
    }
    if (!buttons.isEmpty()) {
      widgets.add(Map.of("buttonList", Map.of("buttons", buttons)));
    }
    Map<String, Object> card =
        Map.of(
            "header",
            Map.of("title", cut(mark(n.tone()) + " " + n.headline(), 200), "subtitle", "Aviary"),
            "sections",
            List.of(Map.of("widgets", widgets)));
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("text", cut(n.headline(), MAX_TEXT));
    message.put("cardsV2", List.of(Map.of("cardId", "aviary-" + n.id(), "card", card)));
    return message;
  }
}
