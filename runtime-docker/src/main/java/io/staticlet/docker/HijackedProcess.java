package io.staticlet.docker;

import io.staticlet.core.runtime.ProcessOutput;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import io.staticlet.core.runtime.StreamingProcess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;

/**
 * An exec or attach on a {@link HijackedConnection}: one reader thread demultiplexes the engine's
 * stream (8-byte frame headers without a terminal, raw bytes with one) into {@link ProcessOutput};
 * at the end of the stream the exit code is read with {@code exitCode}.
 */
final class HijackedProcess implements StreamingProcess {
  private static final int STDERR = 2;

  private final HijackedConnection connection;
  private final boolean tty;
  private final ProcessOutput output;
  private final BiConsumer<Integer, Integer> resizer;
  private final IntSupplier exitCode;
  private final String what;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private volatile boolean closed;

  HijackedProcess(
      HijackedConnection connection,
      boolean tty,
      ProcessOutput output,
      BiConsumer<Integer, Integer> resizer,
      IntSupplier exitCode,
      String what) {
    this.connection = connection;
    this.tty = tty;
    this.output = output;
    this.resizer = resizer;
    this.exitCode = exitCode;
    this.what = what;
  }

  HijackedProcess startReading(ThreadFactory threads) {
    threads.newThread(this::readLoop).start();
    return this;
  }

  private void readLoop() {
    try {
      if (tty) {
        readRaw();
      } else {
        readFrames();
      }
      exit.complete(exitCode.getAsInt());
    } catch (IOException | RuntimeException e) {
      if (closed) {
        exit.complete(-1);
      } else {
        exit.completeExceptionally(
            e instanceof RuntimeException r
                ? r
                : new RuntimeUnavailableException(what + ": " + e.getMessage(), e));
      }
    } finally {
      connection.close();
    }
  }

  private void readRaw() throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(32 * 1024);
    while (true) {
      buffer.clear();
      int n = connection.read(buffer);
      if (n < 0) {
        return;
      }
      if (n > 0) {
        output.stdout(Arrays.copyOf(buffer.array(), n));
      }
    }
  }

  private void readFrames() throws IOException {
    ByteBuffer header = ByteBuffer.allocate(8);
    while (true) {
      header.clear();
      if (!readFully(header)) {
        return;
      }
      int type = header.get(0);
      int size = header.getInt(4);
      ByteBuffer payload = ByteBuffer.allocate(size);
      if (!readFully(payload)) {
        return;
      }
      if (type == STDERR) {
        output.stderr(payload.array());
      } else {
        output.stdout(payload.array());
      }
    }
  }

  private boolean readFully(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (connection.read(buffer) < 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void writeStdin(byte[] bytes) {
    try {
      connection.write(bytes);
    } catch (IOException e) {
      throw new RuntimeUnavailableException(what + ": writing stdin: " + e.getMessage(), e);
    }
  }

  @Override
  public void closeStdin() {
    try {
      connection.closeOutput();
    } catch (IOException e) {
      throw new RuntimeUnavailableException(what + ": closing stdin: " + e.getMessage(), e);
    }
  }

  @Override
  public void resize(int width, int height) {
    if (tty && width > 0 && height > 0) {
      resizer.accept(width, height);
    }
  }

  @Override
  public CompletableFuture<Integer> exit() {
    return exit;
  }

  @Override
  public void close() {
    closed = true;
    connection.close();
  }
}
