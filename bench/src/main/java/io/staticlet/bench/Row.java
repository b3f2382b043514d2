package io.staticlet.bench;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of the result table: a figure, its baseline measured in the same run where there is one,
 * the ratio of the medians, the target and whether it was met. {@code value} is null when the
 * figure could not be measured; {@code note} then says why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Row(
    String id,
    String figure,
    String unit,
    Summary value,
    Summary baseline,
    Double ratio,
    String target,
    Verdict verdict,
    String note) {

  static Row measured(
      String id,
      String figure,
      String unit,
      Summary value,
      Summary baseline,
      Target target,
      String note) {
    Double ratio =
        baseline == null || baseline.median() == 0 ? null : value.median() / baseline.median();
    Verdict verdict =
        target == null ? Verdict.NA : target.metBy(value) ? Verdict.PASS : Verdict.MISS;
    return new Row(
        id,
        figure,
        unit,
        value,
        baseline,
        ratio,
        target == null ? null : target.text(),
        verdict,
        note);
  }

  static Row unavailable(String id, String figure, String unit, String target, String reason) {
    return new Row(id, figure, unit, null, null, null, target, Verdict.NA, "n/a (" + reason + ")");
  }
}
