package io.staticlet.bench;

/** Whether a figure met its target; {@code NA} when it could not be measured or judged. */
public enum Verdict {
  PASS,
  MISS,
  NA
}
