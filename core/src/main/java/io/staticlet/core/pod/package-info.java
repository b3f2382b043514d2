/** Value types naming static pods and their containers. No I/O, no engine, no API server. */
package io.staticlet.core.pod;
