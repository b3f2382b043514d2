/**
 * Static pod manifests: from files to defaulted, validated {@link
 * io.staticlet.core.pod.StaticPod}s.
 *
 * <p>{@link io.staticlet.core.manifest.ManifestParser} turns one file into a pod or an error
 * (streamed one-Pod decoding with YAML aliases expanded and unknown fields reported as warnings,
 * {@link io.staticlet.core.manifest.SchemeDefaults}, the content-derived {@link
 * io.staticlet.core.manifest.PodUid}, {@link io.staticlet.core.manifest.KubeletDefaults}, {@link
 * io.staticlet.core.manifest.PodValidator}). {@link
 * io.staticlet.core.manifest.ManifestDirectorySource} lists the manifest path on file-system events
 * (at once for new pods, after a quiet period for anything that stops one) and periodically, and
 * hands complete {@link io.staticlet.core.manifest.ManifestSnapshot}s to a {@link
 * io.staticlet.core.manifest.ManifestListener}. This package knows files, YAML/JSON and the
 * Kubernetes model; it must not know containers, Docker, the API server or the reconciler, and it
 * never blocks on anything but the local file system.
 */
package io.staticlet.core.manifest;
