/**
 * The node's side of volumes, as the kubelet handles it: the on-disk layout per pod UID ({@link
 * io.staticlet.core.volume.PodDirectories}), the {@code hostPath} type checks ({@link
 * io.staticlet.core.volume.HostPathChecker}) and the symlink-safe {@code subPath} walk ({@link
 * io.staticlet.core.volume.SubPathResolver}, never following a symlink a container planted:
 * DECISIONS.md 25). They touch the host's file system and are thread-safe (no state of their own).
 */
package io.staticlet.core.volume;
