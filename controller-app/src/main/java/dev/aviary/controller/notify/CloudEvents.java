package dev.aviary.controller.notify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A notice as a CloudEvents 1.0 event in structured mode: {@code type} {@code
 * dev.aviary.rollout.<event>.v1}, {@code source} {@code /aviary/plans/<plan>}, {@code subject} the
 * rollout, {@code id} the stored event's id (receivers drop repeats by source and id), and Aviary's
 * event document as {@code data}.
 */
final class CloudEvents {

  static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

  private CloudEvents() {}

  static Map<String, Object> of(Notice n) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("specversion", "1.0");
    event.put("id", n.id());
    event.put("source", "/aviary/plans/" + n.plan());
    event.put("type", "dev.aviary.rollout." + n.event() + ".v1");
    event.put("subject", "rollouts/" + n.rollout());
    event.put("time", n.document().get("at"));
    event.put("datacontenttype", "application/json");
    event.put("data", n.document());
    return event;
  }
}
