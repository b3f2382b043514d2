package io.staticlet.core.status;

/**
 * Why a container is not running although it should: {@code CrashLoopBackOff}, {@code
 * ErrImagePull}, {@code ImagePullBackOff}, {@code CreateContainerConfigError}, {@code
 * RunContainerError}, ...
 */
public record ContainerWaiting(String reason, String message) {}
