/**
 * Judgements: the standalone judgement API and the document a judgement is shown and stored as
 * ({@link dev.aviary.controller.judgement.JudgementDocument}). Writes nothing.
 */
@ApplicationModule(
    displayName = "Judgements",
    allowedDependencies = {"platform", "platform :: web"})
@NullMarked
package dev.aviary.controller.judgement;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
