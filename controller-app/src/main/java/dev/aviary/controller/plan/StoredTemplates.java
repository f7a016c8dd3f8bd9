package dev.aviary.controller.plan;

import java.util.Optional;

/** Stored metric templates as the plan reader sees them. */
interface StoredTemplates {

  /** None: a reader for documents that may not name stored templates. */
  StoredTemplates NONE =
      new StoredTemplates() {
        @Override
        public Optional<Revision> latest(String name) {
          return Optional.empty();
        }

        @Override
        public Optional<Revision> revision(String name, int revision) {
          return Optional.empty();
        }
      };

  /** The template named {@code name} as it is now; empty when there is none. */
  Optional<Revision> latest(String name);

  /**
   * Revision {@code revision} of the template named {@code name}, kept after later changes and
   * after the template's deletion; empty when it never existed (or that revision is the deletion).
   */
  Optional<Revision> revision(String name, int revision);

  /**
   * One revision of a template.
   *
   * @param revision its number
   * @param spec what it said
   */
  record Revision(int revision, MetricTemplateSpec spec) {}
}
