package io.scanorder.operator.model;

import java.util.Map;

/**
 * How the operator process runs, read once from its environment (the Helm chart sets them): whether
 * replicas elect a leader through a Lease, and the port of its health and metrics endpoint.
 *
 * @param leaderElection true when several replicas run and only the Lease holder reconciles
 * @param leaseName name of the coordination.k8s.io Lease
 * @param leaseNamespace namespace of the Lease (the operator's own), or null for the client's
 * @param httpPort port of /healthz, /readyz and /metrics
 * @param exitOnLostLease exit the process when the Lease is lost (always, outside tests: a replica
 *     that lost it must not keep reconciling next to the new leader)
 */
public record OperatorRuntime(
        boolean leaderElection,
        String leaseName,
        String leaseNamespace,
        int httpPort,
        boolean exitOnLostLease) {
    /** {@code true} to elect a leader; the chart turns it on with more than one replica. */
    public static final String LEADER_ELECTION_ENV = "SCANORDER_LEADER_ELECTION";

    /** Name of the Lease; defaults to {@code scanorder-operator}. */
    public static final String LEASE_NAME_ENV = "SCANORDER_LEASE_NAME";

    /** Namespace of the Lease; the chart passes the pod's namespace. */
    public static final String LEASE_NAMESPACE_ENV = "SCANORDER_LEASE_NAMESPACE";

    /** Port of the health and metrics endpoint; defaults to 8080. */
    public static final String HTTP_PORT_ENV = "SCANORDER_OPERATOR_HTTP_PORT";

    public OperatorRuntime {
        if (leaderElection && (leaseName == null || leaseName.isBlank())) {
            throw new IllegalArgumentException(LEASE_NAME_ENV + " must not be blank");
        }
        if (httpPort < 1 || httpPort > 65535) {
            throw new IllegalArgumentException(
                    HTTP_PORT_ENV + " must be a port (1-65535), was " + httpPort);
        }
    }

    /** Reads the settings from environment variables, defaulting what is not set. */
    public static OperatorRuntime fromEnv(Map<String, String> env) {
        String election = env.getOrDefault(LEADER_ELECTION_ENV, "false").strip();
        if (!election.equals("true") && !election.equals("false")) {
            throw new IllegalArgumentException(
                    LEADER_ELECTION_ENV + " must be true or false, was '" + election + "'");
        }
        String port = env.getOrDefault(HTTP_PORT_ENV, "8080").strip();
        int httpPort;
        try {
            httpPort = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    HTTP_PORT_ENV + " must be a port (1-65535), was '" + port + "'", e);
        }
        String namespace = env.get(LEASE_NAMESPACE_ENV);
        return new OperatorRuntime(
                Boolean.parseBoolean(election),
                env.getOrDefault(LEASE_NAME_ENV, "scanorder-operator"),
                namespace == null || namespace.isBlank() ? null : namespace.strip(),
                httpPort,
                true);
    }
}
