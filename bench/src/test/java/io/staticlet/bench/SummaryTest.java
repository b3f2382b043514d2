package io.staticlet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

  @Test
  void medianOfAnOddCountIsTheMiddleSample() {
    Summary s = Summary.of(List.of(5.0, 1.0, 3.0));
    assertEquals(3.0, s.median());
    assertEquals(1.0, s.min());
    assertEquals(5.0, s.max());
    assertEquals(3, s.n());
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleSamples() {
    assertEquals(2.5, Summary.of(List.of(4.0, 1.0, 2.0, 3.0)).median());
  }

  @Test
  void p95IsTheNearestRank() {
    List<Double> hundred = new java.util.ArrayList<>();
    for (int i = 100; i >= 1; i--) {
      hundred.add((double) i);
    }
    assertEquals(95.0, Summary.of(hundred).p95());
    assertEquals(50.5, Summary.of(hundred).median());
  }

  @Test
  void p95OfFewerThanTwentySamplesIsTheMaximum() {
    assertEquals(
        19.0,
        Summary.of(
                List.of(
                    1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0,
                    16.0, 17.0, 18.0, 19.0))
            .p95());
    assertEquals(
        20.0,
        Summary.of(java.util.stream.IntStream.rangeClosed(1, 21).mapToObj(i -> (double) i).toList())
            .p95());
  }

  @Test
  void aSingleSampleIsEveryStatistic() {
    Summary s = Summary.of(List.of(7.0));
    assertEquals(Summary.single(7.0), s);
    assertEquals(7.0, s.get(Summary.Statistic.P95));
  }

  @Test
  void noSamplesIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> Summary.of(List.of()));
  }
}
