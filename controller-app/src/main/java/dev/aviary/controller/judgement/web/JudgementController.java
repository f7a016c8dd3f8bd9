package dev.aviary.controller.judgement.web;

import dev.aviary.analysis.judge.Judgement;
import dev.aviary.analysis.judge.JudgementEngine;
import dev.aviary.analysis.judge.Judges;
import dev.aviary.controller.judgement.JudgementDocument;
import dev.aviary.controller.judgement.JudgementRequest;
import dev.aviary.controller.judgement.JudgementRequestDocument;
import dev.aviary.controller.judgement.JudgementRequestReader;
import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.controller.platform.web.ObjectBody;
import dev.aviary.controller.platform.web.Requests;
import dev.aviary.kernel.Parsed;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/judgements}: judge inline data without a rollout; nothing is stored. */
@RestController
@Tag(
    name = "Judgements",
    description = "Judge canary data on its own, as Kayenta's standalone analysis")
class JudgementController {

  private final Requests requests;
  private final Judges judges;

  JudgementController(Requests requests, Judges judges) {
    this.requests = requests;
    this.judges = judges;
  }

  @PostMapping(
      path = "/api/v1/judgements",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "judge",
      summary = "Judge inline canary and baseline data",
      description =
          "Series are judged by mann-whitney (default) or threshold; counts and histograms by"
              + " sequential (default) — send back the answer's state with the next window's data"
              + " to go on accumulating evidence. Writes nothing.")
  JudgementDocument judge(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON_VALUE,
                      schema = @Schema(implementation = JudgementRequestDocument.class)))
          @RequestBody
          ObjectBody body) {
    Parsed<JudgementRequest> parsed =
        JudgementRequestReader.read(requests.object(body.document()), judges);
    if (!parsed.valid()) {
      throw new InvalidRequestException(parsed.violations());
    }
    JudgementRequest request = parsed.get();
    Judgement judgement =
        new JudgementEngine()
            .judge(
                request.metrics(), request.groupWeights(), request.thresholds(), request.state());
    return JudgementDocument.withState(judgement);
  }
}
