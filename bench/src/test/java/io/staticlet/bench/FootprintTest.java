package io.staticlet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FootprintTest {
  private static final String METRICS =
      """
      # HELP jvm_memory_used_bytes The amount of used memory
      # TYPE jvm_memory_used_bytes gauge
      jvm_memory_used_bytes{area="heap",id="Tenured Gen"} 2.097152E7
      jvm_memory_used_bytes{area="heap",id="Eden Space"} 1048576.0
      jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 4.194304E7
      jvm_memory_used_bytes{area="nonheap",id="CodeHeap 'non-nmethods'"} 1048576.0
      jvm_memory_committed_bytes{area="heap",id="Tenured Gen"} 3.145728E7
      """;

  @Test
  void sumsThePoolsOfEachArea() {
    assertEquals(21 * 1024 * 1024, Footprint.area(METRICS, "jvm_memory_used_bytes", "heap"), 0.5);
    assertEquals(
        41 * 1024 * 1024, Footprint.area(METRICS, "jvm_memory_used_bytes", "nonheap"), 0.5);
    assertTrue(Double.isNaN(Footprint.area(METRICS, "jvm_memory_committed_bytes", "nonheap")));
  }

  @Test
  void rssRowHasTheKubeletsFigureAsBaselineAndTheTarget() {
    Footprint footprint = new Footprint();
    footprint.sampleProc(ProcessHandle.current().pid());
    footprint.sampleMetrics(METRICS);

    List<Row> rows = footprint.rows("B5", "steady state, 100 pods");

    Row rss = rows.get(0);
    assertEquals("steady state, 100 pods: agent RSS", rss.figure());
    assertEquals(KubeletFigures.RSS_MB, rss.baseline().median());
    assertEquals(rss.value().median() / KubeletFigures.RSS_MB, rss.ratio(), 1e-9);
    assertEquals("max ≤ 90 MB", rss.target());
    assertTrue(rows.get(1).value().median() > 0, "PSS of this JVM read from smaps_rollup");
    assertEquals(21, rows.get(2).value().median(), 1e-9);
    assertEquals(41, rows.get(3).value().median(), 1e-9);
  }
}
