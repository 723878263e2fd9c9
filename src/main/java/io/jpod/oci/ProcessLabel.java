package io.jpod.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * SELinux process labels. When SELinux is enabled, conmon is started at level s0 so the container's processes
 * may talk to the FIFOs conmon hands them (libpod's createOCIContainer does the same).
 */
public interface ProcessLabel {
    boolean enabled();

    String current();

    /** Sets the label the next exec of this thread gets; null resets it. */
    void setExec(String label);

    /** The label conmon should run with: the current one with its level forced to s0, or null to leave as is. */
    static String conmonLabel(String current) {
        if (current == null || current.isEmpty()) return null;
        String[] parts = current.split(":", 4);
        if (parts.length < 4) return null;
        if (parts[3].equals("s0") || parts[3].isEmpty()) return null;
        return parts[0] + ":" + parts[1] + ":" + parts[2] + ":s0";
    }

    /** Reads and writes /proc's attr files; enabled when selinuxfs is mounted. */
    ProcessLabel LINUX = new ProcessLabel() {
        @Override public boolean enabled() { return Files.exists(Path.of("/sys/fs/selinux/enforce")); }

        @Override public String current() {
            try {
                return Files.readString(Path.of("/proc/thread-self/attr/current")).replace("\0", "").strip();
            } catch (IOException e) {
                return null;
            }
        }

        @Override public void setExec(String label) {
            try {
                Files.writeString(Path.of("/proc/thread-self/attr/exec"), label == null ? "" : label);
            } catch (IOException e) {
                throw new OciRuntimeException("cannot set SELinux exec label " + label + ": " + e.getMessage(), e);
            }
        }
    };
}
