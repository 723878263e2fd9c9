package io.jpod.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetachFilterTest {
    static final byte[] CTRL_P_Q = {0x10, 0x11};

    static String feed(DetachFilter f, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return new String(f.feed(b, b.length), StandardCharsets.ISO_8859_1);
    }

    @Test
    void plainInputPassesThrough() {
        DetachFilter f = new DetachFilter(CTRL_P_Q);
        assertEquals("ls -l\n", feed(f, "ls -l\n"));
        assertFalse(f.detached());
    }

    @Test
    void whatIsTypedBeforeTheSequenceGoesOnAndTheSequenceDoesNot() {
        DetachFilter f = new DetachFilter(CTRL_P_Q);
        assertEquals("abc", feed(f, "abc\u0010\u0011def"));
        assertTrue(f.detached());
    }

    @Test
    void aSequenceSplitAcrossReadsStillDetaches() {
        DetachFilter f = new DetachFilter(CTRL_P_Q);
        assertEquals("x", feed(f, "x\u0010"), "the possible start is held back");
        assertEquals("", feed(f, "\u0011"));
        assertTrue(f.detached());
    }

    @Test
    void aBrokenOffSequenceIsPassedOnWhole() {
        DetachFilter f = new DetachFilter(CTRL_P_Q);
        assertEquals("", feed(f, "\u0010"));
        assertEquals("\u0010a", feed(f, "a"), "ctrl-p then a: both reach the container (shell history-up works)");
        assertEquals("\u0010", feed(f, "\u0010\u0010"), "a repeated first key restarts the match");
        assertEquals("", feed(f, "\u0011"));
        assertTrue(f.detached());
    }

    @Test
    void emptyKeysNeverDetach() {
        DetachFilter f = new DetachFilter(new byte[0]);
        assertEquals("\u0010\u0011", feed(f, "\u0010\u0011"));
        assertFalse(f.detached());
    }

    @Test
    void aSingleKeySequence() {
        DetachFilter f = new DetachFilter(new byte[] {0x1d});
        assertEquals("ab", feed(f, "ab\u001dcd"));
        assertTrue(f.detached());
    }
}
