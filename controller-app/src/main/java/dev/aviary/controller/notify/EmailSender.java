package dev.aviary.controller.notify;

import dev.aviary.controller.plan.NotificationSpec;
import dev.aviary.controller.platform.webhook.WebhookException;
import dev.aviary.kernel.OutboundPolicy;
import dev.aviary.kernel.SecretResolver;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * Sends a notice as an email (plain text and HTML) through the channel's SMTP server: TLS from the
 * first byte, or STARTTLS required before anything is sent (never silently in the clear), the
 * server's certificate and name verified, a login when the channel has one, and timeouts on every
 * step. The server must be a destination the outbound policy allows. {@code
 * aviary.notifications.smtp.trusted-hosts} lists servers whose certificates are taken as they are
 * (a relay with a self-signed certificate); nothing else is.
 */
@Component
class EmailSender {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final SecretResolver secrets;
  private final OutboundPolicy outbound;
  private final Set<String> trustedHosts;
  private final java.time.Clock clock;

  EmailSender(
      SecretResolver secrets,
      OutboundPolicy outbound,
      java.time.Clock clock,
      @Value("${aviary.notifications.smtp.trusted-hosts:}") List<String> trustedHosts) {
    this.secrets = secrets;
    this.outbound = outbound;
    this.clock = clock;
    this.trustedHosts =
        Set.copyOf(trustedHosts.stream().map(String::strip).filter(h -> !h.isEmpty()).toList());
  }

  @SuppressWarnings("JavaUtilDate") // MimeMessage.setSentDate takes nothing else
  void send(NotificationSpec.Email channel, Notice notice) {
    NotificationSpec.Smtp smtp = channel.smtp();
    String host =
        smtp.host().startsWith("[")
            ? smtp.host().substring(1, smtp.host().length() - 1)
            : smtp.host();
    Optional<String> refused = outbound.refusal(host, smtp.port());
    if (refused.isPresent()) {
      throw new WebhookException(
          "calls to " + smtp.host() + ":" + smtp.port() + " are not allowed: " + refused.get(),
          false,
          null);
    }
    Session session = Session.getInstance(properties(smtp, host));
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress(channel.from(), "Aviary", "UTF-8"));
      Address[] to = new Address[channel.to().size()];
      for (int i = 0; i < to.length; i++) {
        to[i] = new InternetAddress(channel.to().get(i), true);
      }
      message.setRecipients(jakarta.mail.Message.RecipientType.TO, to);
      message.setSubject(notice.headline(), "UTF-8");
      message.setSentDate(Date.from(clock.instant())); // Jakarta Mail's API takes a Date
      // the same event twice (a retry after a lost answer) has the same Message-ID
      message.setHeader("X-Aviary-Event", notice.id());
      MimeMultipart body = new MimeMultipart("alternative");
      MimeBodyPart text = new MimeBodyPart();
      text.setText(plain(notice), StandardCharsets.UTF_8.name());
      MimeBodyPart html = new MimeBodyPart();
      html.setContent(html(notice), "text/html; charset=UTF-8");
      body.addBodyPart(text);
      body.addBodyPart(html);
      message.setContent(body);
      message.saveChanges();
      message.setHeader(
          "Message-ID", "<aviary-event-" + notice.id() + "@" + notice.plan() + ".aviary>");
      String password = smtp.password() == null ? null : secrets.resolve(smtp.password());
      try (Transport transport =
          session.getTransport(
              smtp.security() == NotificationSpec.SmtpSecurity.TLS ? "smtps" : "smtp")) {
        transport.connect(smtp.host(), smtp.port(), smtp.username(), password);
        transport.sendMessage(message, message.getAllRecipients());
      }
    } catch (AuthenticationFailedException e) {
      throw new WebhookException(
          smtp.host() + " refused the login of " + smtp.username(), false, e);
    } catch (MessagingException | java.io.UnsupportedEncodingException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      // a bad address is the plan's mistake; anything else (unreachable, busy, 4xx) may pass
      boolean permanent =
          e instanceof jakarta.mail.internet.AddressException
              || e instanceof jakarta.mail.SendFailedException
              // a server that offers no STARTTLS will not start to by itself
              || why.contains("STARTTLS is required");
      throw new WebhookException("email through " + smtp.host() + " failed: " + why, !permanent, e);
    }
  }

  private Properties properties(NotificationSpec.Smtp smtp, String host) {
    Properties p = new Properties();
    String timeout = String.valueOf(TIMEOUT.toMillis());
    for (String protocol : new String[] {"smtp", "smtps"}) {
      String k = "mail." + protocol + ".";
      p.put(k + "connectiontimeout", timeout);
      p.put(k + "timeout", timeout);
      p.put(k + "writetimeout", timeout);
      p.put(k + "auth", String.valueOf(smtp.username() != null));
      if (trustedHosts.contains(smtp.host()) || trustedHosts.contains(host)) {
        // an admin vouched for this server: its certificate is taken as it is
        p.put(k + "ssl.trust", host);
        p.put(k + "ssl.checkserveridentity", "false");
      } else {
        p.put(k + "ssl.checkserveridentity", "true");
      }
    }
    switch (smtp.security()) {
      case STARTTLS -> {
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
      }
      case TLS -> p.put("mail.smtps.ssl.enable", "true");
      case NONE -> p.put("mail.smtp.starttls.enable", "false");
    }
    return p;
  }

  private static String plain(Notice n) {
    StringBuilder text =
        new StringBuilder(n.headline()).append("\n\n").append(n.reason()).append("\n\n");
    for (Map.Entry<String, String> f : n.facts().entrySet()) {
      text.append(f.getKey()).append(": ").append(f.getValue()).append('\n');
    }
    if (n.approvalLink() != null) {
      text.append("\nApprove or reject (once, until the deadline): ")
          .append(n.approvalLink())
          .append('\n');
    }
    if (n.link() != null) {
      text.append("\nThe rollout: ").append(n.link()).append('\n');
    }
    return text.toString();
  }

  private static String html(Notice n) {
    StringBuilder html =
        new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\"><h2>")
            .append(HtmlUtils.htmlEscape(n.headline()))
            .append("</h2><p>")
            .append(HtmlUtils.htmlEscape(n.reason()))
            .append("</p><table>");
    for (Map.Entry<String, String> f : n.facts().entrySet()) {
      html.append("<tr><th align=\"left\">")
          .append(HtmlUtils.htmlEscape(f.getKey()))
          .append("</th><td>")
          .append(HtmlUtils.htmlEscape(f.getValue()))
          .append("</td></tr>");
    }
    html.append("</table>");
    if (n.approvalLink() != null) {
      html.append("<p><a href=\"")
          .append(HtmlUtils.htmlEscape(n.approvalLink()))
          .append("\"><b>Approve or reject</b></a> (once, until the deadline)</p>");
    }
    if (n.link() != null) {
      html.append("<p><a href=\"")
          .append(HtmlUtils.htmlEscape(n.link()))
          .append("\">Open the rollout in Aviary</a></p>");
    }
    return html.append("</body></html>").toString();
  }
}
