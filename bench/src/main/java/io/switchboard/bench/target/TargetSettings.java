package io.switchboard.bench.target;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How to start (or reach) each target.
 *
 * @param url an already-running server to measure instead of starting one; null to start it
 * @param serverJar Switchboard's fat jar
 * @param jvmOpts JVM options of both JVM targets (Switchboard and bare), so they run alike
 * @param serverEnv extra environment of the Switchboard process, e.g. {@code SWITCHBOARD_...}
 * @param flush the flush policy of Switchboard and the bare server: {@code per-message} or {@code
 *     coalesce}
 * @param bareInstances the bare server's verticle instances; 0 for one per event loop
 * @param clusterNodes the Switchboard processes of {@code switchboard-cluster}, at least 2: node 0
 *     takes the publishers, the others the subscribers
 * @param socketioDir the folder of the Socket.IO server ({@code server.js}, {@code package.json})
 * @param node the Node executable
 * @param classPath the class path of this bench, which the bare server runs from
 * @param startupTimeout how long a server may take to listen
 * @param workDir where server logs go
 */
public record TargetSettings(
    URI url,
    Path serverJar,
    List<String> jvmOpts,
    Map<String, String> serverEnv,
    String flush,
    int bareInstances,
    int clusterNodes,
    Path socketioDir,
    String node,
    String classPath,
    Duration startupTimeout,
    Path workDir) {}
