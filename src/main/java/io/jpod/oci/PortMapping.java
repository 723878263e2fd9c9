package io.jpod.oci;

/** A published port: host address and port to container port, tcp or udp. */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {
    public PortMapping {
        hostIp = hostIp == null ? "" : hostIp;
        if (hostPort < 0 || hostPort > 65535) throw new IllegalArgumentException("host port " + hostPort + " is out of range 0-65535");
        if (containerPort < 1 || containerPort > 65535) throw new IllegalArgumentException("container port " + containerPort + " is out of range 1-65535");
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("unknown protocol \"" + protocol + "\" for port " + containerPort + ": use tcp or udp");
        }
    }
}
