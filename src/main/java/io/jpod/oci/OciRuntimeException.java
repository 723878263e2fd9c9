package io.jpod.oci;

/** The OCI runtime or conmon refused or failed an operation; the message carries their own words. */
public class OciRuntimeException extends RuntimeException {
    public OciRuntimeException(String message) { super(message); }
    public OciRuntimeException(String message, Throwable cause) { super(message, cause); }
}
