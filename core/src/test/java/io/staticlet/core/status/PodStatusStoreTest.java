package io.staticlet.core.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.testing.TestPods;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodStatusStoreTest {
  private final PodStatusStore store = new PodStatusStore();
  private final StaticPod pod = TestPods.pod("web").container("app", "img:1").build();

  @Test
  void listenersHearOnlyChangesAndNothingOnceTheirHandleIsClosed() throws Exception {
    List<PodKey> heard = new ArrayList<>();
    AutoCloseable subscription = store.addListener(heard::add);

    store.update(pod, PodStatusValue.pending("", "BestEffort"));
    store.update(pod, PodStatusValue.pending("", "BestEffort"));
    assertEquals(List.of(pod.key()), heard, "an unchanged status is not news");

    subscription.close();
    store.update(pod, PodStatusValue.pending("image pull", "BestEffort"));
    store.remove(pod.key());
    assertEquals(List.of(pod.key()), heard, "a closed subscription hears nothing more");
  }
}
