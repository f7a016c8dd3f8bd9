package dev.aviary.controller.platform;

import java.util.Map;

/**
 * The audit log, as features other than security write to it: who did what to which thing, in the
 * transaction of the change it records.
 */
public interface AuditTrail {

  /**
   * Records one entry.
   *
   * @param actor who, as {@link Actors#current()} names them
   * @param action what kind of change, such as {@code rollout.approved}
   * @param target what it changed, such as {@code rollout:<id>}
   * @param detail what else is worth knowing
   */
  void record(String actor, String action, String target, Map<String, ?> detail);
}
