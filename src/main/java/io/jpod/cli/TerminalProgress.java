package io.jpod.cli;

import io.jpod.image.Progress;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Pull progress on a terminal: one bar per blob being copied, redrawn in place (at most ten times a second), as
 * podman draws them; lines that are not transfers print above the bars, and once every bar is done the block stays
 * as the record of what was copied.
 */
final class TerminalProgress implements Progress {
    private static final Pattern DIGEST = Pattern.compile("sha256:([0-9a-f]{12})[0-9a-f]{52}");
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final List<Row> rows = new ArrayList<>();
    private int drawn;
    private long lastDraw;

    private final class Row implements Bar {
        final String label;
        final long total;
        long bytes;
        String done;

        Row(String label, long total) {
            this.label = DIGEST.matcher(label).replaceAll("$1");
            this.total = total;
        }

        @Override
        public void advance(long n) {
            synchronized (TerminalProgress.this) {
                bytes += n;
                long now = System.nanoTime();
                if (now - lastDraw > 100_000_000L) draw(now);
            }
        }

        @Override
        public void done(String how) {
            synchronized (TerminalProgress.this) {
                done = how;
                draw(System.nanoTime());
                if (rows.stream().allMatch(r -> r.done != null)) { // the block is final: later lines go below it
                    rows.clear();
                    drawn = 0;
                }
            }
        }

        String render() {
            if (done != null) return label + " " + done;
            if (total <= 0) return label + " " + Views.humanSize(bytes);
            int fill = (int) Math.min(WIDTH, WIDTH * bytes / total);
            return label + " [" + "=".repeat(Math.max(0, fill - 1)) + (fill > 0 ? ">" : "") + "-".repeat(WIDTH - fill) + "] "
                    + Views.humanSize(bytes) + " / " + Views.humanSize(total);
        }
    }

    TerminalProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void line(String s) {
        erase();
        String shown = DIGEST.matcher(s).replaceAll("$1");
        out.println(shown.startsWith("Copying config ") ? shown + " done" : shown);
        draw(System.nanoTime());
    }

    @Override
    public synchronized Bar bar(String label, long total) {
        Row r = new Row(label, total);
        rows.add(r);
        draw(System.nanoTime());
        return r;
    }

    private void erase() {
        if (drawn == 0) return;
        out.print("\033[" + drawn + "A");
        for (int i = 0; i < drawn; i++) out.print("\r\033[2K\n");
        out.print("\033[" + drawn + "A");
        drawn = 0;
    }

    private void draw(long now) {
        if (drawn > 0) out.print("\033[" + drawn + "A");
        for (Row r : rows) out.print("\r\033[2K" + r.render() + "\n");
        drawn = rows.size();
        lastDraw = now;
        out.flush();
    }
}
