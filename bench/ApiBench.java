import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 6's API benchmark client: HTTP/1.1 with keep-alive on a unix socket, as docker clients talk.
 *   java bench/ApiBench.java SOCKET ping N            -> p50 and p99 of GET /_ping in microseconds
 *   java bench/ApiBench.java SOCKET cycle SECONDS K   -> create+start+wait+remove cycles per second, K clients
 */
public class ApiBench {
    static final Pattern LEN = Pattern.compile("(?i)\r\ncontent-length: (\\d+)");
    static final Pattern ID = Pattern.compile("\"Id\":\"([0-9a-f]{64})\"");

    final SocketChannel ch;
    final ByteBuffer buf = ByteBuffer.allocate(1 << 16);

    ApiBench(String socket) throws IOException {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
    }

    /** One request; returns "STATUS BODY". Handles Content-Length and chunked bodies. */
    String call(String method, String path, String body) throws IOException {
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String req = method + " " + path + " HTTP/1.1\r\nHost: d\r\n" + (body == null ? "" : "Content-Type: application/json\r\n")
                + "Content-Length: " + b.length + "\r\n\r\n";
        ch.write(ByteBuffer.wrap((req + (body == null ? "" : body)).getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (true) {
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) throw new IOException("closed");
            got.write(buf.array(), 0, n);
            String s = got.toString(StandardCharsets.ISO_8859_1);
            int head = s.indexOf("\r\n\r\n");
            if (head < 0) continue;
            String status = s.substring(9, 12);
            Matcher m = LEN.matcher(s.substring(0, head + 2));
            if (m.find()) {
                int len = Integer.parseInt(m.group(1));
                if (s.length() - head - 4 >= len) return status + " " + s.substring(head + 4, head + 4 + len);
            } else if (s.substring(0, head).toLowerCase().contains("transfer-encoding: chunked")) {
                if (s.endsWith("\r\n0\r\n\r\n")) return status + " " + s.substring(head + 4);
            } else if (status.equals("204") || status.equals("304")) {
                return status + " ";
            }
        }
    }

    public static void main(String[] a) throws Exception {
        String socket = a[0];
        if (a[1].equals("ping")) {
            ApiBench c = new ApiBench(socket);
            int n = Integer.parseInt(a[2]);
            for (int i = 0; i < 200; i++) c.call("GET", "/_ping", null);
            List<Long> us = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                c.call("GET", "/_ping", null);
                us.add((System.nanoTime() - t) / 1000);
            }
            Collections.sort(us);
            System.out.println("ping_p50_us " + us.get(n / 2) + " ping_p99_us " + us.get(n * 99 / 100));
            return;
        }
        int seconds = Integer.parseInt(a[2]), clients = Integer.parseInt(a[3]);
        String image = a.length > 4 ? a[4] : "localhost/busybox:latest";
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> ts = new ArrayList<>();
        for (int k = 0; k < clients; k++) {
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    ApiBench c = new ApiBench(socket);
                    while (System.nanoTime() < end) {
                        String r = c.call("POST", "/v1.41/containers/create", "{\"Image\":\"" + image + "\",\"Cmd\":[\"true\"]}");
                        Matcher m = ID.matcher(r);
                        if (!r.startsWith("201") || !m.find()) throw new IllegalStateException("create: " + r);
                        String id = m.group(1);
                        expect(c.call("POST", "/v1.41/containers/" + id + "/start", ""), "204");
                        expect(c.call("POST", "/v1.41/containers/" + id + "/wait", ""), "200");
                        expect(c.call("DELETE", "/v1.41/containers/" + id + "?force=1", null), "204");
                        done.incrementAndGet();
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (Thread t : ts) t.join();
        System.out.printf("cycles %d in %d s: %.2f/s%n", done.get(), seconds, done.get() / (double) seconds);
    }

    static void expect(String r, String status) {
        if (!r.startsWith(status)) throw new IllegalStateException("expected " + status + ": " + r);
    }
}
