package io.jpod.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Expected output is what podman 4.3.1 printed for the same files (docs/podman-reference/cli.md, logs). */
class LogReaderTest {
    /** ref-log: partial records and both streams. */
    static final String MIXED = """
            2026-11-29T14:16:32.892254607+00:00 stdout F out1
            2026-11-29T14:16:32.892254607+00:00 stdout P abc
            2026-11-29T14:16:32.893816422+00:00 stderr F err1
            2026-11-29T14:16:33.397552521+00:00 stdout F def
            2026-11-29T14:16:33.397552521+00:00 stdout P tail-no-newline
            """;

    /** ref-log2: full lines only. */
    static final String LINES = """
            2026-11-29T14:16:33.785917950+00:00 stdout F line1
            2026-11-29T14:16:33.786564879+00:00 stdout F line2
            2026-11-29T14:16:33.786564879+00:00 stdout F line3
            2026-11-29T14:16:33.786564879+00:00 stdout F line4
            2026-11-29T14:16:33.786564879+00:00 stdout F line5
            2026-11-29T14:16:33.786617959+00:00 stderr F e1
            """;

    @TempDir
    Path tmp;

    record Output(String out, String err) {}

    Output read(String log, int tail, Instant since, Instant until, boolean timestamps) throws IOException {
        Path p = tmp.resolve("ctr.log");
        Files.writeString(p, log);
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        new LogReader(out, err, new LogReader.Options(false, tail, since, until, timestamps)).copy(p, () -> false, () -> { });
        return new Output(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Output read(String log, int tail) throws IOException {
        return read(log, tail, null, null, false);
    }

    @Test
    void fullLinesEndWithNewlineAndPartialsJoinTheNextRecord() throws IOException {
        Output o = read(MIXED, -1);
        assertEquals("out1\nabcdef\ntail-no-newline", o.out());
        assertEquals("err1\n", o.err());
    }

    @Test
    void stdoutAndStderrRecordsGoToTheirOwnStreams() throws IOException {
        Output o = read(LINES, -1);
        assertEquals("line1\nline2\nline3\nline4\nline5\n", o.out());
        assertEquals("e1\n", o.err());
    }

    @Test
    void timestampsPrefixEveryRecordInUtcZForm() throws IOException {
        Output o = read(MIXED, -1, null, null, true);
        assertEquals("2026-11-29T14:16:32.892254607Z out1\n"
                + "2026-11-29T14:16:32.892254607Z abc2026-11-29T14:16:33.397552521Z def\n"
                + "2026-11-29T14:16:33.397552521Z tail-no-newline", o.out());
        assertEquals("2026-11-29T14:16:32.893816422Z err1\n", o.err());
    }

    @Test
    void aNonUtcOffsetIsPrintedAsWritten() throws IOException {
        Output o = read("2026-11-29T15:16:32.892254607+01:00 stdout F x\n", -1, null, null, true);
        assertEquals("2026-11-29T15:16:32.892254607+01:00 x\n", o.out());
    }

    @Test
    void tailCountsRecordsOfBothStreamsTogether() throws IOException {
        Output two = read(LINES, 2);
        assertEquals("line5\n", two.out());
        assertEquals("e1\n", two.err());
        Output one = read(LINES, 1, null, null, true);
        assertEquals("", one.out());
        assertEquals("2026-11-29T14:16:33.786617959Z e1\n", one.err());
    }

    @Test
    void tailLargerThanTheFileGivesEverything() throws IOException {
        Output o = read(LINES, 100);
        assertEquals("line1\nline2\nline3\nline4\nline5\n", o.out());
        assertEquals("e1\n", o.err());
        assertEquals(read(LINES, 6), o);
    }

    @Test
    void tailZeroGivesNothing() throws IOException {
        assertEquals(new Output("", ""), read(LINES, 0));
    }

    @Test
    void tailOfPartialRecordsStartsAtARecord() throws IOException {
        assertEquals("tail-no-newline", read(MIXED, 1).out());
        assertEquals("def\ntail-no-newline", read(MIXED, 2).out());
        Output three = read(MIXED, 3);
        assertEquals("def\ntail-no-newline", three.out());
        assertEquals("err1\n", three.err());
    }

    @Test
    void sinceAndUntilFilterByRecordTime() throws IOException {
        Instant between = Instant.parse("2026-11-29T14:16:33.786Z");
        Output after = read(LINES, -1, between, null, false);
        assertEquals("line2\nline3\nline4\nline5\n", after.out());
        assertEquals("e1\n", after.err());
        Output before = read(LINES, -1, null, between, false);
        assertEquals("line1\n", before.out());
        assertEquals("", before.err());
        assertEquals(new Output("", ""), read(LINES, -1, Instant.parse("2099-01-01T00:00:00Z"), null, false));
        assertEquals(new Output("", ""), read(LINES, -1, null, Instant.parse("2000-01-01T00:00:00Z"), false));
    }

    @Test
    void emptyLinesAndContentWithSpacesSurvive() throws IOException {
        Output o = read("""
                2026-11-29T14:16:33.785917950+00:00 stdout F\s
                2026-11-29T14:16:33.785917950+00:00 stdout F
                2026-11-29T14:16:33.785917950+00:00 stdout F  two  spaces\s
                garbage-without-spaces
                2026-11-29T14:16:33.785917950+00:00 stderr F last
                """, -1);
        assertEquals("\n\n two  spaces \n", o.out());
        assertEquals("last\n", o.err());
    }

    @Test
    void aMissingLogIsEmptyWithoutFollow() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LogReader(out, out, new LogReader.Options(false, -1, null, null, false))
                .copy(tmp.resolve("none.log"), () -> true, () -> { });
        assertEquals(0, out.size());
    }

    @Test
    void followReadsWhatIsWrittenUntilTheContainerStops() throws IOException {
        Path p = tmp.resolve("ctr.log");
        Files.writeString(p, "2026-11-29T14:16:33.785917950+00:00 stdout F first\n");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger naps = new AtomicInteger();
        Runnable nap = () -> {
            try {
                // conmon writes a line, then the container exits; the reader must drain what came last
                Files.writeString(p, "2026-11-29T14:16:34.000000000+00:00 stdout P sec\n"
                        + "2026-11-29T14:16:34.000000000+00:00 stdout F ond\n", StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            naps.incrementAndGet();
            running.set(false);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        new LogReader(out, err, new LogReader.Options(true, -1, null, null, false)).copy(p, running::get, nap);
        assertEquals("first\nsecond\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(1, naps.get());
    }
}
