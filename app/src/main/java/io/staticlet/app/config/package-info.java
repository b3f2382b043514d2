/**
 * The kubelet's configuration surface as staticlet accepts it: every kubelet 1.20 flag and every
 * v1beta1 KubeletConfiguration field (DECISIONS.md 19), resolved into one immutable {@link
 * io.staticlet.app.config.AgentConfig}. Errors name the file, flag or field.
 */
package io.staticlet.app.config;
