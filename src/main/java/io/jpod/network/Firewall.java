package io.jpod.network;

import io.jpod.oci.PortMapping;

import java.util.List;

/**
 * The packet-filter rules bridge networks need besides the veth and the lease (which CNI's bridge plugin makes):
 * masquerade for traffic leaving a network, forwarding with networks isolated from each other, and published
 * ports. Every call is idempotent, so a crash between two steps is repaired by calling it again.
 */
public interface Firewall {
    /** The network's rules (masquerade, forwarding, isolation); cheap when they are in place already. */
    void ensureNetwork(Network net);

    /** Removes the network's rules; rules already gone are not an error. */
    void dropNetwork(Network net);

    /** Forwards the host ports to the container's address on the network (replacing what it had). */
    void publish(Network net, String containerId, String ip, List<PortMapping> ports);

    /** Removes the container's port forwarding, if any. */
    void unpublish(String containerId);

    /** Forgets what is known to be in place and adds what is missing (after someone flushed the tables). */
    void reload(List<Network> networks);
}
