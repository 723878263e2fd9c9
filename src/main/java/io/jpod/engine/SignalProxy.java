package io.jpod.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * podman's --sig-proxy: while a CLI is attached to a container, the signals it receives (Ctrl-C among them) go
 * to the container instead of ending the CLI and orphaning a foreground --rm container.
 */
final class SignalProxy implements AutoCloseable {
    /** Signals proxied, as podman's signal.ProxySignals does (the ones a terminal user sends). */
    private static final String[] NAMES = {"INT", "TERM", "HUP", "QUIT", "USR1", "USR2"};
    private static final int[] NUMBERS = {2, 15, 1, 3, 10, 12};

    private final List<Object[]> previous = new ArrayList<>();

    @SuppressWarnings("removal")
    SignalProxy(IntConsumer deliver) {
        for (int i = 0; i < NAMES.length; i++) {
            int number = NUMBERS[i];
            try {
                sun.misc.Signal s = new sun.misc.Signal(NAMES[i]);
                previous.add(new Object[] {s, sun.misc.Signal.handle(s, sig -> deliver.accept(number))});
            } catch (IllegalArgumentException e) {
                // the JVM reserves this one (QUIT with -Xrs off, USR1/USR2 on some VMs): leave it alone
            }
        }
    }

    @Override
    @SuppressWarnings("removal")
    public void close() {
        for (Object[] p : previous) sun.misc.Signal.handle((sun.misc.Signal) p[0], (sun.misc.SignalHandler) p[1]);
    }
}
