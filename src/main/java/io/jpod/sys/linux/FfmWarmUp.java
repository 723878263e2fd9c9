package io.jpod.sys.linux;

/**
 * Links the FFM call stub on a second thread while the main thread parses arguments. A class of its own, with
 * no static state and no lambda, so starting it costs the main thread nothing but the thread start: even
 * touching Libc's or LinuxSyscalls' static initialisers costs tens of milliseconds (measured).
 */
public final class FfmWarmUp extends Thread {
    private FfmWarmUp() {
        super("jpod-ffm-warmup");
        setDaemon(true);
    }

    public static void start(boolean ignored) {
        new FfmWarmUp().start();
    }

    @Override
    public void run() {
        Libc.link();
    }
}
