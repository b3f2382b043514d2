/**
 * The benchmark program behind {@code deploy/bench.sh}: it starts the built agent jar as a separate
 * process against the local Docker engine and a real loopback control plane, measures how fast pods
 * come up, how quickly mirrors react and how little of the node the agent takes, each against a
 * baseline measured in the same run where there is one, and prints one table (also written as
 * JSON).
 *
 * <p>It is a black box on purpose: it knows the agent only by its flags, its files, its HTTP
 * endpoints, the labels it puts on containers and what it writes to the API server, never by its
 * classes. Nothing here is asserted in a unit test except the statistics.
 */
package io.staticlet.bench;
