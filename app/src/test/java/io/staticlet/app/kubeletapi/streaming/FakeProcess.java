package io.staticlet.app.kubeletapi.streaming;

import io.staticlet.core.runtime.ProcessOutput;
import io.staticlet.core.runtime.StreamingProcess;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A streaming process that records what it is asked to do; the test ends it. */
final class FakeProcess implements StreamingProcess {
  final ProcessOutput output;
  final List<String> calls = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  FakeProcess(ProcessOutput output) {
    this.output = output;
  }

  @Override
  public void writeStdin(byte[] bytes) {
    calls.add("stdin:" + new String(bytes, StandardCharsets.UTF_8));
  }

  @Override
  public void closeStdin() {
    calls.add("close-stdin");
  }

  @Override
  public void resize(int width, int height) {
    calls.add("resize:" + width + "x" + height);
  }

  @Override
  public CompletableFuture<Integer> exit() {
    return exit;
  }

  @Override
  public void close() {
    calls.add("close");
  }

  void exitWith(int code) {
    exit.complete(code);
  }

  void fail(RuntimeException e) {
    exit.completeExceptionally(e);
  }
}
