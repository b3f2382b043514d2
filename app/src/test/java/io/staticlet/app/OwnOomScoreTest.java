package io.staticlet.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staticlet.docker.DockerRuntimeSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnOomScoreTest {
  @TempDir Path dir;

  @Test
  void writesTheScoreLikeTheKubelet() throws IOException {
    Path proc = Files.writeString(dir.resolve("oom_score_adj"), "0");

    assertEquals(OwnOomScore.Outcome.APPLIED, new OwnOomScore(proc, true).apply(-999));
    assertEquals("-999", Files.readString(proc));
  }

  @Test
  void aRefusalFromRootMeansTheKernelRefusesIt() {
    Path unwritable =
        dir; // a directory cannot be written like a file: the write fails as the kernel's would
    assertEquals(
        OwnOomScore.Outcome.REFUSED_BY_KERNEL, new OwnOomScore(unwritable, true).apply(-999));
    assertEquals(
        OwnOomScore.Outcome.NOT_APPLIED,
        new OwnOomScore(unwritable, false).apply(-999),
        "not root: the refusal says nothing about the kernel");
    assertEquals(
        OwnOomScore.Outcome.NOT_APPLIED, new OwnOomScore(dir.resolve("missing"), true).apply(-999));
  }

  @Test
  void aLocalEngineOnARefusingKernelStartsSandboxesWithZero() {
    DockerRuntimeSettings local = DockerRuntimeSettings.defaults("n1");
    DockerRuntimeSettings remote = local.withEndpoint("tcp://10.0.0.5:2375");

    assertEquals(
        0,
        StaticletMain.sandboxScoreFor(OwnOomScore.Outcome.REFUSED_BY_KERNEL, local)
            .sandboxOomScoreAdj());
    assertEquals(
        -998,
        StaticletMain.sandboxScoreFor(OwnOomScore.Outcome.REFUSED_BY_KERNEL, remote)
            .sandboxOomScoreAdj(),
        "another machine's kernel may accept it");
    assertEquals(
        -998,
        StaticletMain.sandboxScoreFor(OwnOomScore.Outcome.APPLIED, local).sandboxOomScoreAdj());
    assertEquals(
        -998,
        StaticletMain.sandboxScoreFor(OwnOomScore.Outcome.NOT_APPLIED, local).sandboxOomScoreAdj());
  }
}
