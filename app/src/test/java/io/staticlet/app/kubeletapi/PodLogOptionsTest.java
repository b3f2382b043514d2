package io.staticlet.app.kubeletapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.staticlet.core.testing.ManualClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PodLogOptionsTest {
  private static PodLogOptions parse(String query) throws Exception {
    return PodLogOptions.parse(new QueryStringDecoder("/containerLogs/ns/pod/c" + query));
  }

  @Test
  void noQueryMeansEverythingOnce() throws Exception {
    assertEquals(new PodLogOptions(false, false, false, null, null, null, null), parse(""));
  }

  @Test
  void everyParameterIsRead() throws Exception {
    PodLogOptions o =
        parse(
            "?follow=true&previous=1&timestamps=true&tailLines=10&sinceTime=2026-01-02T03:04:05Z&limitBytes=100");

    assertEquals(
        new PodLogOptions(true, true, true, 10L, null, Instant.parse("2026-01-02T03:04:05Z"), 100L),
        o);
  }

  @Test
  void booleansAreTrueUnlessFalseOrZeroAsGosQueryConversion() throws Exception {
    assertTrue(parse("?follow=").follow());
    assertTrue(parse("?follow=yes").follow());
    assertFalse(parse("?follow=false").follow());
    assertFalse(parse("?follow=FALSE").follow());
    assertFalse(parse("?follow=0").follow());
  }

  @Test
  void legacyTailIsTailLinesAndAllMeansNoLimit() throws Exception {
    assertEquals(5L, parse("?tail=5").tailLines());
    assertEquals(5L, parse("?tail=5&tailLines=7").tailLines());
    assertNull(parse("?tail=all&tailLines=7").tailLines());
  }

  @Test
  void sinceSecondsCountsBackFromTheClock() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:01:00Z"));

    assertEquals(Instant.parse("2026-01-01T00:00:30Z"), parse("?sinceSeconds=30").since(clock));
    assertNull(parse("").since(clock));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "?tailLines=-1",
        "?tail=-3",
        "?limitBytes=0",
        "?limitBytes=-5",
        "?sinceSeconds=0",
        "?sinceSeconds=-1",
        "?sinceSeconds=10&sinceTime=2026-01-02T03:04:05Z"
      })
  void invalidValuesAre422(String query) {
    assertThrows(PodLogOptions.InvalidOptions.class, () -> parse(query));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "?tailLines=ten",
        "?limitBytes=1.5",
        "?sinceSeconds=x",
        "?sinceTime=yesterday",
        "?sinceTime=2026-01-02"
      })
  void undecodableValuesAre400(String query) {
    assertThrows(PodLogOptions.UndecodableQuery.class, () -> parse(query));
  }

  @Test
  void zeroTailLinesIsValid() throws Exception {
    assertEquals(0L, parse("?tailLines=0").tailLines());
  }
}
