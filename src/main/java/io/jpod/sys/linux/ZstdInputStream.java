package io.jpod.sys.linux;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;

/**
 * zstd decompression through Debian's libzstd (libzstd1 is required by dpkg itself, so it is always there), with
 * the streaming API and jpod's one FFM call shape: no JNI library to extract, no dependency. Reads concatenated
 * frames; a stream that ends inside a frame is reported as truncated.
 */
public final class ZstdInputStream extends InputStream {
    private static final class Fn {
        static final SymbolLookup LIB = SymbolLookup.libraryLookup("libzstd.so.1", Arena.global());
        static final MemorySegment CREATE = f("ZSTD_createDStream"), INIT = f("ZSTD_initDStream"),
                DECOMPRESS = f("ZSTD_decompressStream"), FREE = f("ZSTD_freeDStream"), IS_ERROR = f("ZSTD_isError"),
                ERROR_NAME = f("ZSTD_getErrorName"), IN_SIZE = f("ZSTD_DStreamInSize"), OUT_SIZE = f("ZSTD_DStreamOutSize");

        static MemorySegment f(String name) {
            return LIB.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libzstd has no " + name));
        }
    }

    private final InputStream src;
    private final Arena arena = Arena.ofShared();
    private final long ds;
    private final MemorySegment inBuf, outBuf, in, out; // in/out: ZSTD_inBuffer/ZSTD_outBuffer {ptr, size, pos}
    private final byte[] staging;
    private int outPos, outFill;
    private long lastResult; // 0 when the last frame is complete
    private boolean eof, closed;

    public ZstdInputStream(InputStream src) throws IOException {
        this.src = src;
        long d;
        try {
            d = Libc.call(Fn.CREATE, 0, 0, 0, 0, 0, 0);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            arena.close();
            throw new IOException("zstd is unavailable: " + e.getMessage() + " (apt-get install libzstd1)", e);
        }
        if (d == 0) {
            arena.close();
            throw new IOException("zstd: cannot allocate a decompression stream");
        }
        ds = d;
        Libc.call(Fn.INIT, ds, 0, 0, 0, 0, 0);
        int inCap = (int) Libc.call(Fn.IN_SIZE, 0, 0, 0, 0, 0, 0);
        int outCap = (int) Libc.call(Fn.OUT_SIZE, 0, 0, 0, 0, 0, 0);
        inBuf = arena.allocate(inCap);
        outBuf = arena.allocate(outCap);
        in = arena.allocate(24, 8);
        out = arena.allocate(24, 8);
        in.set(ValueLayout.JAVA_LONG, 0, inBuf.address());
        in.set(ValueLayout.JAVA_LONG, 8, 0);
        in.set(ValueLayout.JAVA_LONG, 16, 0);
        out.set(ValueLayout.JAVA_LONG, 0, outBuf.address());
        staging = new byte[Math.max(inCap, outCap)];
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("stream closed");
        if (len == 0) return 0;
        while (outPos >= outFill) {
            if (!fill()) return -1;
        }
        int n = Math.min(len, outFill - outPos);
        MemorySegment.copy(outBuf, ValueLayout.JAVA_BYTE, outPos, b, off, n);
        outPos += n;
        return n;
    }

    /** Decompresses the next chunk into outBuf; false at the clean end of the input. */
    private boolean fill() throws IOException {
        long inSize = in.get(ValueLayout.JAVA_LONG, 8);
        long inPos = in.get(ValueLayout.JAVA_LONG, 16);
        if (inPos >= inSize) {
            if (eof) return finish();
            int n = src.read(staging, 0, (int) inBuf.byteSize());
            if (n < 0) {
                eof = true;
                return finish();
            }
            MemorySegment.copy(staging, 0, inBuf, ValueLayout.JAVA_BYTE, 0, n);
            in.set(ValueLayout.JAVA_LONG, 8, n);
            in.set(ValueLayout.JAVA_LONG, 16, 0);
        }
        out.set(ValueLayout.JAVA_LONG, 8, outBuf.byteSize());
        out.set(ValueLayout.JAVA_LONG, 16, 0);
        long r = Libc.call(Fn.DECOMPRESS, ds, out.address(), in.address(), 0, 0, 0);
        if ((int) Libc.call(Fn.IS_ERROR, r, 0, 0, 0, 0, 0) != 0) {
            long name = Libc.call(Fn.ERROR_NAME, r, 0, 0, 0, 0, 0);
            String why = name == 0 ? "error " + r : MemorySegment.ofAddress(name).reinterpret(256).getString(0);
            throw new java.util.zip.ZipException("zstd stream is corrupt: " + why);
        }
        lastResult = r;
        outPos = 0;
        outFill = (int) out.get(ValueLayout.JAVA_LONG, 16);
        return true;
    }

    private boolean finish() throws IOException {
        if (lastResult != 0) throw new java.io.EOFException("zstd stream is truncated: it ends inside a frame");
        return false;
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        Libc.call(Fn.FREE, ds, 0, 0, 0, 0, 0);
        arena.close();
        src.close();
    }
}
