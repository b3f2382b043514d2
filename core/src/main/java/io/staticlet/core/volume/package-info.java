/** Volume path resolution that never follows symlinks planted by a container (DECISIONS.md 25). */
package io.staticlet.core.volume;
