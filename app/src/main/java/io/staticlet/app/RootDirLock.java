package io.staticlet.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One agent per root directory: an exclusive lock on {@code <root-dir>/staticlet.lock}, held for
 * the life of the process (the kernel releases it when the process dies, so a crash leaves no stale
 * lock). The file holds the owner's pid and node name, so the second agent can say who holds it.
 */
public final class RootDirLock implements AutoCloseable {
  public static final String FILE_NAME = "staticlet.lock";

  /** The lock is held by another process. */
  public static final class HeldException extends Exception {
    HeldException(String message) {
      super(message);
    }
  }

  private final FileChannel channel;
  private final FileLock lock;

  private RootDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock or says who holds it; never waits. */
  public static RootDirLock acquire(Path rootDir, String nodeName)
      throws HeldException, IOException {
    Files.createDirectories(rootDir);
    Path file = rootDir.resolve(FILE_NAME);
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String owner = readOwner(channel);
      channel.close();
      throw new HeldException(
          "another staticlet ("
              + owner
              + ") holds "
              + file
              + "; only one agent may use a root directory");
    }
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap(
            ("pid=" + ProcessHandle.current().pid() + " node=" + nodeName + "\n")
                .getBytes(StandardCharsets.UTF_8)),
        0);
    channel.force(false);
    return new RootDirLock(channel, lock);
  }

  private static String readOwner(FileChannel channel) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(256);
    channel.read(buf, 0);
    String owner = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
    return owner.isEmpty() ? "pid unknown" : owner;
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
