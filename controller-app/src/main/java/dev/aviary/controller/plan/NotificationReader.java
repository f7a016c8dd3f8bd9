package dev.aviary.controller.plan;

import dev.aviary.controller.plan.NotificationSpec.ChatService;
import dev.aviary.controller.plan.NotificationSpec.SmtpSecurity;
import dev.aviary.kernel.SecretRef;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a plan's {@code notifications} — each a channel of one {@code type} and the events it hears
 * — naming every bad field, and writes them back with their defaults filled in. The outbox keeps
 * each delivery's channel in the written form and reads it back here when it delivers.
 */
public final class NotificationReader {

  static final URI PAGERDUTY = URI.create("https://events.pagerduty.com/v2/enqueue");
  static final URI GITHUB = URI.create("https://api.github.com");

  /** What a chat channel hears when the plan does not say: what a team wants in its channel. */
  static final Set<NotificationEvent> CHAT_DEFAULT =
      EnumSet.of(
          NotificationEvent.STARTED,
          NotificationEvent.ANALYSIS_FAILED,
          NotificationEvent.PAUSED,
          NotificationEvent.APPROVAL_NEEDED,
          NotificationEvent.HELD,
          NotificationEvent.PROMOTED,
          NotificationEvent.ROLLED_BACK,
          NotificationEvent.ABORTED,
          NotificationEvent.FAILED);

  static final Set<NotificationEvent> EMAIL_DEFAULT =
      EnumSet.of(
          NotificationEvent.APPROVAL_NEEDED,
          NotificationEvent.PROMOTED,
          NotificationEvent.ROLLED_BACK,
          NotificationEvent.ABORTED,
          NotificationEvent.FAILED);

  static final Set<NotificationEvent> PAGERDUTY_DEFAULT =
      EnumSet.of(
          NotificationEvent.ROLLED_BACK, NotificationEvent.FAILED, NotificationEvent.PROMOTED);

  private static final Map<String, String> TYPES = new LinkedHashMap<>();

  static {
    for (String t :
        List.of("webhook", "slack", "teams", "googleChat", "email", "pagerduty", "github")) {
      TYPES.put(t.toLowerCase(Locale.ROOT), t); // read in any case, as every choice is
    }
  }

  private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{40}|.*\\$\\{[^}]+}.*");
  private static final Pattern ADDRESS =
      Pattern.compile("[^@\\s<>\",;]+@[^@\\s<>\",;]+\\.[^@\\s<>\",;]+");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9a-fA-F:.]+]");

  private NotificationReader() {}

  /** Reads the channels of {@code plan}'s {@code notifications}. */
  static List<NotificationSpec> readAll(SettingsReader plan) {
    List<NotificationSpec> result = new ArrayList<>();
    for (SettingsReader n : plan.objects("notifications")) {
      read(n).ifPresent(result::add);
    }
    return result;
  }

  /**
   * Reads one channel as the outbox stored it.
   *
   * @throws IllegalArgumentException naming what is wrong (a channel stored by an older version
   *     that this one no longer reads)
   */
  public static NotificationSpec readStored(Map<String, ?> document) {
    List<SettingViolation> violations = new ArrayList<>();
    Optional<NotificationSpec> spec = read(new SettingsReader(document, violations));
    if (!violations.isEmpty() || spec.isEmpty()) {
      throw new IllegalArgumentException("cannot read the stored channel: " + violations);
    }
    return spec.get();
  }

  static Optional<NotificationSpec> read(SettingsReader n) {
    String type = n.has("type") ? n.oneOf("type", TYPES, "webhook") : null;
    String format =
        n.oneOf(
            "format",
            Map.of("json", "json", "cloudevents", "cloudevents", "slack", "slack"),
            "json");
    if (type == null) {
      type = format.equals("slack") ? "slack" : "webhook";
    } else if (n.has("format")
        && !type.equals("webhook")
        && !(type.equals("slack") && format.equals("slack"))) {
      n.violation("format", "is read only by webhooks (json or cloudevents)");
    } else if (type.equals("webhook") && format.equals("slack")) {
      n.violation(
          "format",
          "slack is written {\"type\": \"slack\"} now; a webhook's format is json or cloudevents");
    }
    NotificationSpec spec =
        switch (type) {
          case "slack" -> {
            if (format.equals("slack") && n.has("signingSecret")) {
              // older plans signed Slack messages too; Slack checks no signature, so it is dropped
              n.secret("signingSecret", false);
            }
            yield chat(n, ChatService.SLACK);
          }
          case "teams" -> chat(n, ChatService.TEAMS);
          case "googleChat" -> chat(n, ChatService.GOOGLE_CHAT);
          case "email" -> email(n);
          case "pagerduty" -> pagerDuty(n);
          case "github" -> gitHub(n);
          default -> webhook(n, format.equals("cloudevents"));
        };
    n.rejectUnknown();
    return Optional.ofNullable(spec);
  }

  private static Set<NotificationEvent> on(SettingsReader n, Set<NotificationEvent> absent) {
    if (!n.has("on")) {
      n.allow("on");
      return absent;
    }
    List<Object> keys = n.list("on");
    Set<NotificationEvent> events = EnumSet.noneOf(NotificationEvent.class);
    for (int i = 0; i < keys.size(); i++) {
      Object k = keys.get(i);
      Optional<NotificationEvent> e =
          k instanceof String s ? NotificationEvent.ofKey(s) : Optional.empty();
      if (e.isEmpty()) {
        n.violation("on[" + i + "]", "must be one of " + NotificationEvent.keys());
      } else {
        events.add(e.get());
      }
    }
    if (keys.isEmpty()) {
      // generated clients send an empty list for a field they leave out
      return absent;
    }
    return events;
  }

  private static NotificationSpec.@Nullable Webhook webhook(SettingsReader n, boolean cloudEvents) {
    URI url = n.httpUrl("url", true);
    SecretRef secret = n.secret("signingSecret", false);
    Set<NotificationEvent> on = on(n, NotificationEvent.ALL);
    return url == null ? null : new NotificationSpec.Webhook(url, secret, cloudEvents, on);
  }

  private static NotificationSpec.@Nullable Chat chat(SettingsReader n, ChatService service) {
    URI url = n.httpUrl("url", false);
    SecretRef webhook = n.secret("webhook", false);
    Set<NotificationEvent> on = on(n, CHAT_DEFAULT);
    if ((url == null) == (webhook == null)) {
      if (!n.has("url") && !n.has("webhook")) {
        n.violation(
            "webhook",
            "is required: the incoming webhook's URL as a secret reference ({\"env\": ...},"
                + " {\"file\": ...} or {\"plaintext\": ...}), or as url");
      } else if (n.has("url") && n.has("webhook")) {
        n.violation("webhook", "give the incoming webhook as url or as webhook, not both");
      }
      return null;
    }
    return new NotificationSpec.Chat(service, url, webhook, on);
  }

  private static NotificationSpec.@Nullable Email email(SettingsReader n) {
    NotificationSpec.Smtp smtp = null;
    Optional<SettingsReader> s = n.object("smtp");
    if (s.isEmpty()) {
      n.violation(
          "smtp", "is required: {\"host\": ..., \"port\": 587, \"security\": \"starttls\"}");
    } else {
      smtp = smtp(s.get());
    }
    String from = address(n, "from", n.string("from").orElse(null));
    if (!n.has("from")) {
      n.violation("from", "is required: the sender's address");
    }
    List<Object> raw = n.list("to");
    List<String> to = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String a = address(n, "to[" + i + "]", raw.get(i) instanceof String t ? t : null);
      if (a != null) {
        to.add(a);
      }
    }
    if (raw.isEmpty()) {
      n.violation("to", "is required: at least one recipient");
    }
    Set<NotificationEvent> on = on(n, EMAIL_DEFAULT);
    return smtp == null || from == null || to.size() != raw.size() || to.isEmpty()
        ? null
        : new NotificationSpec.Email(smtp, from, to, on);
  }

  private static @Nullable String address(SettingsReader n, String field, @Nullable String text) {
    if (text == null) {
      return null;
    }
    if (!ADDRESS.matcher(text).matches()) {
      n.violation(field, "must be an email address such as releases@example.com");
      return null;
    }
    return text;
  }

  private static NotificationSpec.@Nullable Smtp smtp(SettingsReader s) {
    String host = s.requiredString("host");
    if (host != null && !HOST.matcher(host).matches()) {
      s.violation("host", "must be a host name or an address, without a scheme or port");
      host = null;
    }
    SmtpSecurity security =
        s.oneOf(
            "security",
            Map.of(
                "tls",
                SmtpSecurity.TLS,
                "starttls",
                SmtpSecurity.STARTTLS,
                "none",
                SmtpSecurity.NONE),
            SmtpSecurity.STARTTLS);
    int defaultPort =
        switch (security) {
          case TLS -> 465;
          case STARTTLS -> 587;
          case NONE -> 25;
        };
    int port = s.integer("port", defaultPort, 1, 65535);
    String username = s.string("username").orElse(null);
    SecretRef password = s.secret("password", false);
    if (username != null && password == null) {
      s.violation("password", "is required with a username");
    } else if (username == null && password != null) {
      s.violation("username", "is required with a password");
    }
    s.rejectUnknown();
    return host == null
        ? null
        : new NotificationSpec.Smtp(host, port, security, username, password);
  }

  private static NotificationSpec.@Nullable PagerDuty pagerDuty(SettingsReader n) {
    SecretRef key = n.secret("routingKey", true);
    String severity =
        n.oneOf(
            "severity",
            Map.of("critical", "critical", "error", "error", "warning", "warning", "info", "info"),
            "error");
    URI url = n.has("url") ? n.httpUrl("url", false) : PAGERDUTY;
    Set<NotificationEvent> on = on(n, PAGERDUTY_DEFAULT);
    return key == null || url == null
        ? null
        : new NotificationSpec.PagerDuty(key, severity, url, on);
  }

  private static NotificationSpec.@Nullable GitHub gitHub(SettingsReader n) {
    String repository = n.requiredString("repository");
    if (repository != null && !REPOSITORY.matcher(repository).matches()) {
      n.violation("repository", "must be owner/name");
      repository = null;
    }
    String commit = n.has("commit") ? n.requiredString("commit") : "${commit}";
    if (commit != null && !COMMIT.matcher(commit).matches()) {
      n.violation(
          "commit",
          "must be a commit's 40-character SHA or name a rollout variable that holds it, such as"
              + " ${commit}");
      commit = null;
    }
    SecretRef token = n.secret("token", true);
    String context = n.string("context").orElse(null);
    if (context != null && context.length() > 100) {
      n.violation("context", "must not exceed 100 characters");
    }
    URI api = n.has("apiUrl") ? n.httpUrl("apiUrl", false) : GITHUB;
    Set<NotificationEvent> on = on(n, NotificationEvent.ALL);
    return repository == null || commit == null || token == null || api == null
        ? null
        : new NotificationSpec.GitHub(repository, commit, token, context, api, on);
  }

  // ---- writing -----------------------------------------------------------------------------

  /** The channel as the plan shows it, as a JSON-ready map (what the outbox stores). */
  public static Map<String, Object> document(NotificationSpec spec) {
    return DOCUMENTS.convertValue(write(spec), MAP);
  }

  private static final tools.jackson.databind.json.JsonMapper DOCUMENTS =
      tools.jackson.databind.json.JsonMapper.builder().build();
  private static final tools.jackson.core.type.TypeReference<Map<String, Object>> MAP =
      new tools.jackson.core.type.TypeReference<>() {};

  /** The channel as the plan shows it: its type, every default filled in. */
  static PlanDocument.NotificationDocument write(NotificationSpec spec) {
    Written d =
        new Written(spec.type(), spec.on().stream().sorted().map(NotificationEvent::key).toList());
    if (spec instanceof NotificationSpec.Webhook w) {
      d.url = w.url().toString();
      d.format = w.cloudEvents() ? "cloudevents" : "json";
      d.signingSecret = secret(w.signingSecret());
    } else if (spec instanceof NotificationSpec.Chat c) {
      d.url = c.url() == null ? null : c.url().toString();
      d.webhook = secret(c.webhook());
    } else if (spec instanceof NotificationSpec.Email e) {
      d.smtp =
          new PlanDocument.SmtpDocument(
              e.smtp().host(),
              e.smtp().port(),
              e.smtp().security().name().toLowerCase(Locale.ROOT),
              e.smtp().username(),
              secret(e.smtp().password()));
      d.from = e.from();
      d.to = e.to();
    } else if (spec instanceof NotificationSpec.PagerDuty p) {
      d.url = p.url().toString();
      d.routingKey = secret(p.routingKey());
      d.severity = p.severity();
    } else if (spec instanceof NotificationSpec.GitHub g) {
      d.repository = g.repository();
      d.commit = g.commit();
      d.token = secret(g.token());
      d.context = g.context();
      d.apiUrl = g.apiUrl().toString();
    }
    return d.document();
  }

  /** The fields of a written channel; each type sets its own, the rest stay absent. */
  private static final class Written {
    final String type;
    final List<String> on;
    @Nullable String url;
    @Nullable String format;
    PlanDocument.@Nullable SecretDocument signingSecret;
    PlanDocument.@Nullable SecretDocument webhook;
    PlanDocument.@Nullable SmtpDocument smtp;
    @Nullable String from;
    @Nullable List<String> to;
    PlanDocument.@Nullable SecretDocument routingKey;
    @Nullable String severity;
    @Nullable String repository;
    @Nullable String commit;
    PlanDocument.@Nullable SecretDocument token;
    @Nullable String context;
    @Nullable String apiUrl;

    Written(String type, List<String> on) {
      this.type = type;
      this.on = on;
    }

    PlanDocument.NotificationDocument document() {
      return new PlanDocument.NotificationDocument(
          type,
          on,
          url,
          format,
          signingSecret,
          webhook,
          smtp,
          from,
          to,
          routingKey,
          severity,
          repository,
          commit,
          token,
          context,
          apiUrl);
    }
  }

  private static PlanDocument.@Nullable SecretDocument secret(@Nullable SecretRef ref) {
    return ref == null
        ? null
        : new PlanDocument.SecretDocument(ref.env(), ref.file(), ref.encrypted());
  }
}
