package dev.aviary.controller.plan;

import dev.aviary.kernel.SecretRef;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * A webhook told of every rollout transition.
 *
 * @param url where to POST
 * @param format {@code json} (Aviary's event document) or {@code slack} (an incoming-webhook
 *     message)
 * @param signingSecret when set, the body is signed with HMAC-SHA256 in {@code X-Aviary-Signature}
 */
public record NotificationSpec(URI url, String format, @Nullable SecretRef signingSecret) {}
