package dev.aviary.controller.plan;

import dev.aviary.kernel.SecretRef;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A channel a plan's rollouts report to, and which of their {@link NotificationEvent events} it
 * hears. Credentials are references ({@link SecretRef}), never values; {@link NotificationReader}
 * reads and writes the plan's form.
 */
public sealed interface NotificationSpec {

  /** The channel's type as plans write it. */
  String type();

  /** The events it is told of. */
  Set<NotificationEvent> on();

  /** Where it goes, for people and the delivery list: never a credential. */
  String destination();

  /**
   * An HTTP POST of Aviary's event document, or of a CloudEvent carrying it.
   *
   * @param signingSecret when set, the body is signed with HMAC-SHA256 in {@code
   *     X-Aviary-Signature}
   * @param cloudEvents the body is a CloudEvents 1.0 event in structured mode
   */
  record Webhook(
      URI url, @Nullable SecretRef signingSecret, boolean cloudEvents, Set<NotificationEvent> on)
      implements NotificationSpec {
    public Webhook {
      on = Set.copyOf(on);
    }

    @Override
    public String type() {
      return "webhook";
    }

    @Override
    public String destination() {
      return url.getScheme() + "://" + url.getAuthority() + url.getPath();
    }
  }

  /** The chat services Aviary writes messages to through their incoming webhooks. */
  enum ChatService {
    SLACK("slack"),
    TEAMS("teams"),
    GOOGLE_CHAT("googleChat");

    private final String type;

    ChatService(String type) {
      this.type = type;
    }

    public String type() {
      return type;
    }
  }

  /**
   * A chat message through an incoming webhook. The webhook's URL is itself a credential: given as
   * {@code url} it is stored with the plan as written; as {@code webhook} (a secret reference) it
   * is not.
   */
  record Chat(
      ChatService service,
      @Nullable URI url,
      @Nullable SecretRef webhook,
      Set<NotificationEvent> on)
      implements NotificationSpec {
    public Chat {
      on = Set.copyOf(on);
      if ((url == null) == (webhook == null)) {
        throw new IllegalArgumentException("a chat channel has a url or a webhook secret");
      }
    }

    @Override
    public String type() {
      return service.type();
    }

    @Override
    public String destination() {
      if (url != null) {
        return url.getScheme() + "://" + url.getAuthority();
      }
      return "the webhook in " + (webhook == null ? "?" : webhook.describe());
    }
  }

  /** How the SMTP connection is protected. */
  enum SmtpSecurity {
    /** TLS from the first byte (port 465). */
    TLS,
    /** Plain, upgraded with STARTTLS before anything is sent; refused if the server cannot. */
    STARTTLS,
    /** No TLS: only for a relay on a network of its own. */
    NONE
  }

  /** An SMTP server, its protection and login. */
  record Smtp(
      String host,
      int port,
      SmtpSecurity security,
      @Nullable String username,
      @Nullable SecretRef password) {}

  /** A plain-text and HTML email to {@code to}. */
  record Email(Smtp smtp, String from, List<String> to, Set<NotificationEvent> on)
      implements NotificationSpec {
    public Email {
      to = List.copyOf(to);
      on = Set.copyOf(on);
    }

    @Override
    public String type() {
      return "email";
    }

    @Override
    public String destination() {
      return "smtp://" + smtp.host() + ":" + smtp.port() + " to " + String.join(", ", to);
    }
  }

  /**
   * PagerDuty Events API v2: a promotion resolves what an earlier event of the plan triggered (one
   * alert per plan: {@code dedup_key} {@code aviary/<plan>}); every other event triggers.
   */
  record PagerDuty(SecretRef routingKey, String severity, URI url, Set<NotificationEvent> on)
      implements NotificationSpec {
    public PagerDuty {
      on = Set.copyOf(on);
    }

    @Override
    public String type() {
      return "pagerduty";
    }

    @Override
    public String destination() {
      return url.getScheme() + "://" + url.getAuthority();
    }
  }

  /**
   * A GitHub commit status on the released commit: pending while the rollout runs, success when
   * promoted, failure when rolled back or aborted, error when the router failed.
   *
   * @param repository {@code owner/name}
   * @param commit the commit's SHA, usually a variable: {@code ${commit}} (the default) reads the
   *     rollout's {@code metadata.commit}
   * @param context the status's name; {@code aviary/<plan>} when null
   * @param apiUrl {@code https://api.github.com}, or a GitHub Enterprise server's {@code /api/v3}
   */
  record GitHub(
      String repository,
      String commit,
      SecretRef token,
      @Nullable String context,
      URI apiUrl,
      Set<NotificationEvent> on)
      implements NotificationSpec {
    public GitHub {
      on = Set.copyOf(on);
    }

    @Override
    public String type() {
      return "github";
    }

    @Override
    public String destination() {
      return apiUrl.getScheme() + "://" + apiUrl.getAuthority() + " " + repository;
    }
  }
}
