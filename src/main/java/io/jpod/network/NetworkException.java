package io.jpod.network;

/** Setting up a network on the host failed (its firewall rules, its bridge); the message says what and why. */
public final class NetworkException extends RuntimeException {
    public NetworkException(String message) {
        super(message);
    }
}
