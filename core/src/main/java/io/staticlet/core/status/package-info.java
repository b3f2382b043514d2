/**
 * Pod status: computed, stored, shown. {@link io.staticlet.core.status.PodStatusComputer} (pure)
 * turns the engine's containers into an immutable {@link io.staticlet.core.status.PodStatusValue};
 * the reconciler's status step is the one writer of {@link
 * io.staticlet.core.status.PodStatusStore}; {@code /pods} and the mirror adapter turn values into
 * the API's {@code v1.PodStatus} with {@link io.staticlet.core.status.PodStatusRenderer}, the only
 * fabric8 status code here (core keeps the fabric8 model for decoding manifests, and both edges
 * depend on core, so the one renderer lives next to the value it renders).
 */
package io.staticlet.core.status;
