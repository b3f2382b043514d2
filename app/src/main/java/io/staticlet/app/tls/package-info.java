/** TLS pieces shared by the agent's HTTPS clients and servers. */
package io.staticlet.app.tls;
