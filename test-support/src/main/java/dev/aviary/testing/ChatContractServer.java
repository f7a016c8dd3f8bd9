package dev.aviary.testing;

import dev.aviary.testing.TextHttpServer.Recorded;
import dev.aviary.testing.TextHttpServer.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stand-ins for the incoming webhooks of three chat services, which exist only as services:
 * contract servers that check what each one's published documentation says a message must be, and
 * answer as the service does. Each keeps the messages it accepted.
 *
 * <ul>
 *   <li><b>Slack</b> (api.slack.com, "Sending messages using incoming webhooks", "Block Kit"):
 *       {@code POST /services/T.../B.../secret} with {@code Content-Type: application/json}; a
 *       message has {@code text} or {@code blocks} (at most 50); a block's {@code type} is one
 *       Block Kit knows; a {@code header}'s text is {@code plain_text} of at most 150 characters; a
 *       {@code section} has {@code text} (at most 3,000) or {@code fields} (at most 10, each at
 *       most 2,000); an {@code actions} block has at most 25 elements, a button's text is {@code
 *       plain_text} of at most 75 characters. Answers {@code 200 ok} (text/plain); {@code 400
 *       invalid_payload}, {@code no_text} or {@code invalid_blocks}; {@code 403 invalid_token} at
 *       another path; {@code 429} with {@code Retry-After} when rate limited.
 *   <li><b>Microsoft Teams</b> (Workflows "Post to a channel when a webhook request is received"):
 *       a {@code {"type": "message", "attachments": [...]}} whose attachments each have {@code
 *       contentType application/vnd.microsoft.card.adaptive} and an Adaptive Card ({@code type
 *       AdaptiveCard}, a {@code version}, a {@code body} of elements each with a {@code type});
 *       answers {@code 202 Accepted}; {@code 400} otherwise; {@code 429} with {@code Retry-After}.
 *   <li><b>Google Chat</b> (developers.google.com/workspace/chat, "Build a Google Chat app as a
 *       webhook", {@code spaces.messages.create}): {@code POST
 *       /v1/spaces/{space}/messages?key=&token=} with the space's key and token (403
 *       PERMISSION_DENIED otherwise); a message has {@code text} or {@code cardsV2} (each with
 *       {@code cardId} and {@code card}); answers 200 with the created message ({@code name},
 *       {@code createTime}, ...); 400 INVALID_ARGUMENT; 429 RESOURCE_EXHAUSTED.
 * </ul>
 */
public final class ChatContractServer implements AutoCloseable {

  /** Which service this server plays. */
  public enum Service {
    SLACK,
    TEAMS,
    GOOGLE_CHAT
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> SLACK_BLOCKS =
      Set.of(
          "section",
          "header",
          "context",
          "actions",
          "divider",
          "image",
          "rich_text",
          "input",
          "file",
          "video",
          "markdown");

  private final Service service;
  private final TextHttpServer http = new TextHttpServer();
  private final String path;
  private final String key;
  private final String token;
  private final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private final AtomicInteger throttle = new AtomicInteger();

  /**
   * A server for {@code service}: Slack and Teams at {@code /hooks/<secret>} (Slack's URL shape),
   * Google Chat at {@code /v1/spaces/AAAA/messages} with {@code key} and {@code token}.
   */
  public ChatContractServer(Service service, String secret) {
    this.service = service;
    this.key = "key-" + secret;
    this.token = secret;
    this.path =
        switch (service) {
          case SLACK -> "/services/T0AVIARY/B0AVIARY/" + secret;
          case TEAMS -> "/workflows/" + secret + "/triggers/manual/paths/invoke";
          case GOOGLE_CHAT -> "/v1/spaces/AAAAaviary/messages";
        };
    http.otherwise(this::receive);
  }

  /** The incoming webhook's URL: the credential a plan keeps as a secret. */
  public String webhookUrl() {
    String base = "http://127.0.0.1:" + http.port() + path;
    return service == Service.GOOGLE_CHAT ? base + "?key=" + key + "&token=" + token : base;
  }

  /** The next {@code n} messages are refused as over the rate limit. */
  public void throttleNext(int n) {
    throttle.set(n);
  }

  /** The messages accepted, in order. */
  public List<JsonNode> accepted() {
    return List.copyOf(accepted);
  }

  /** Why each refused request was refused. */
  public List<String> refused() {
    return List.copyOf(refused);
  }

  /** Every request, as it arrived. */
  public List<Recorded> requests() {
    return http.requests();
  }

  private Reply receive(Recorded r) {
    if (!r.method().equals("POST")) {
      return refuse(new Reply(405, "text/plain", "method_not_allowed"), "method " + r.method());
    }
    if (!r.path().equals(path)) {
      return refuse(
          service == Service.SLACK
              ? new Reply(403, "text/plain", "invalid_token")
              : new Reply(404, "application/json", "{\"error\":\"not found\"}"),
          "unknown webhook " + r.path());
    }
    if (service == Service.GOOGLE_CHAT
        && (!key.equals(TextHttpServer.param(r.query(), "key"))
            || !token.equals(TextHttpServer.param(r.query(), "token")))) {
      return refuse(
          Reply.json(
              403,
              "{\"error\":{\"code\":403,\"message\":\"The caller does not have permission\",\"status\":\"PERMISSION_DENIED\"}}"),
          "bad key or token");
    }
    if (throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      Reply limited =
          switch (service) {
            case SLACK -> new Reply(429, "text/plain", "rate_limited");
            case TEAMS -> Reply.json(429, "{\"error\":{\"code\":\"TooManyRequests\"}}");
            case GOOGLE_CHAT ->
                Reply.json(
                    429,
                    "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}");
          };
      return refuse(limited.withHeader("Retry-After", "1"), "rate limited");
    }
    String type = r.header("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      return refuse(bad("invalid_payload"), "Content-Type " + type);
    }
    JsonNode message;
    try {
      message = JSON.readTree(r.body());
    } catch (JacksonException e) {
      return refuse(bad("invalid_payload"), "not JSON");
    }
    List<String> problems =
        switch (service) {
          case SLACK -> slack(message);
          case TEAMS -> teams(message);
          case GOOGLE_CHAT -> googleChat(message);
        };
    if (!problems.isEmpty()) {
      return refuse(
          bad(service == Service.SLACK ? problems.get(0).split(":", 2)[0] : "invalid"),
          String.join("; ", problems));
    }
    accepted.add(message);
    return switch (service) {
      case SLACK -> Reply.ok("text/plain", "ok");
      case TEAMS -> new Reply(202, "text/plain", "");
      case GOOGLE_CHAT ->
          Reply.json(
              200,
              "{\"name\":\"spaces/AAAAaviary/messages/m"
                  + accepted.size()
                  + "\",\"createTime\":\""
                  + java.time.Instant.now()
                  + "\",\"text\":\""
                  + Json.escape(message.path("text").asString(""))
                  + "\"}");
    };
  }

  private Reply bad(String slackError) {
    return switch (service) {
      case SLACK -> new Reply(400, "text/plain", slackError);
      case TEAMS ->
          Reply.json(400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"Invalid card\"}}");
      case GOOGLE_CHAT ->
          Reply.json(
              400,
              "{\"error\":{\"code\":400,\"message\":\"Invalid JSON payload received.\",\"status\":\"INVALID_ARGUMENT\"}}");
    };
  }

  private Reply refuse(Reply reply, String why) {
    refused.add(why);
    return reply;
  }

  private static List<String> slack(JsonNode m) {
    List<String> problems = new ArrayList<>();
    JsonNode blocks = m.get("blocks");
    if (!m.path("text").isString() && (blocks == null || blocks.isEmpty())) {
      problems.add("no_text: neither text nor blocks");
    }
    if (blocks != null) {
      if (!blocks.isArray() || blocks.size() > 50) {
        problems.add("invalid_blocks: blocks must be a list of at most 50");
        return problems;
      }
      int i = 0;
      for (JsonNode b : blocks.values()) {
        String at = "invalid_blocks: blocks[" + i++ + "]";
        String type = b.path("type").asString("");
        if (!SLACK_BLOCKS.contains(type)) {
          problems.add(at + " has no known type: " + type);
          continue;
        }
        switch (type) {
          case "header" -> {
            if (!b.path("text").path("type").asString("").equals("plain_text")
                || b.path("text").path("text").asString("").isEmpty()
                || b.path("text").path("text").asString("").length() > 150) {
              problems.add(at + " header text must be plain_text of 1 to 150 characters");
            }
          }
          case "section" -> {
            JsonNode text = b.get("text");
            JsonNode fields = b.get("fields");
            if (text == null && fields == null) {
              problems.add(at + " a section has text or fields");
            }
            if (text != null && !textObject(text, 3000)) {
              problems.add(at + " section text must be mrkdwn or plain_text of 1 to 3000");
            }
            if (fields != null) {
              if (!fields.isArray() || fields.isEmpty() || fields.size() > 10) {
                problems.add(at + " fields must be 1 to 10 text objects");
              } else {
                for (JsonNode f : fields.values()) {
                  if (!textObject(f, 2000)) {
                    problems.add(at + " a field must be a text object of 1 to 2000");
                  }
                }
              }
            }
          }
          case "actions" -> {
            JsonNode elements = b.path("elements");
            if (!elements.isArray() || elements.isEmpty() || elements.size() > 25) {
              problems.add(at + " actions has 1 to 25 elements");
            } else {
              for (JsonNode e : elements.values()) {
                if (e.path("type").asString("").equals("button")
                    && (!e.path("text").path("type").asString("").equals("plain_text")
                        || e.path("text").path("text").asString("").length() > 75
                        || e.path("url").asString("").length() > 3000)) {
                  problems.add(at + " a button's text is plain_text of at most 75");
                }
              }
            }
          }
          default -> {}
        }
      }
    }
    return problems;
  }

  private static boolean textObject(JsonNode t, int max) {
    String type = t.path("type").asString("");
    String text = t.path("text").asString("");
    return (type.equals("mrkdwn") || type.equals("plain_text"))
        && !text.isEmpty()
        && text.length() <= max;
  }

  private static List<String> teams(JsonNode m) {
    List<String> problems = new ArrayList<>();
    if (!m.path("type").asString("").equals("message")) {
      problems.add("type must be message");
    }
    JsonNode attachments = m.path("attachments");
    if (!attachments.isArray() || attachments.isEmpty()) {
      problems.add("attachments must hold a card");
      return problems;
    }
    for (JsonNode a : attachments.values()) {
      if (!a.path("contentType").asString("").equals("application/vnd.microsoft.card.adaptive")) {
        problems.add("an attachment's contentType must be application/vnd.microsoft.card.adaptive");
      }
      JsonNode card = a.path("content");
      if (!card.path("type").asString("").equals("AdaptiveCard")
          || card.path("version").asString("").isEmpty()
          || !card.path("body").isArray()) {
        problems.add("content must be an AdaptiveCard with a version and a body");
        continue;
      }
      for (JsonNode element : card.path("body").values()) {
        if (element.path("type").asString("").isEmpty()) {
          problems.add("every body element has a type");
        }
      }
      for (JsonNode action : card.path("actions").values()) {
        if (action.path("type").asString("").equals("Action.OpenUrl")
            && action.path("url").asString("").isEmpty()) {
          problems.add("Action.OpenUrl needs a url");
        }
      }
    }
    return problems;
  }

  private static List<String> googleChat(JsonNode m) {
    List<String> problems = new ArrayList<>();
    JsonNode cards = m.get("cardsV2");
    if (!m.path("text").isString() && (cards == null || cards.isEmpty())) {
      problems.add("a message has text or cardsV2");
    }
    if (cards != null) {
      for (JsonNode c : cards.values()) {
        if (c.path("cardId").asString("").isEmpty() || !c.path("card").isObject()) {
          problems.add("each of cardsV2 has a cardId and a card");
        } else if (!c.path("card").path("sections").isArray()) {
          problems.add("a card has sections");
        }
      }
    }
    return problems;
  }

  @Override
  public void close() {
    http.close();
  }
}
