package io.jpod.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SignalsTest {
    @Test
    void namesWithAndWithoutSigAndInAnyCaseAndNumbers() {
        for (String s : new String[] {"SIGTERM", "TERM", "term", "sigterm", " 15 "}) assertEquals(15, Signals.parse(s), s);
        assertEquals(9, Signals.parse("KILL"));
        assertEquals(2, Signals.parse("SIGINT"));
        assertEquals(1, Signals.parse("hup"));
        assertEquals(10, Signals.parse("USR1"));
        assertEquals(17, Signals.parse("CLD"));
        assertEquals(6, Signals.parse("IOT"));
        assertEquals(64, Signals.parse("64"));
    }

    @Test
    void realtimeSignalsCountFromRtminAndBackFromRtmax() {
        assertEquals(34, Signals.parse("SIGRTMIN"));
        assertEquals(37, Signals.parse("RTMIN+3"));
        assertEquals(64, Signals.parse("SIGRTMAX"));
        assertEquals(62, Signals.parse("rtmax-2"));
    }

    static String error(String s) {
        JpodException e = assertThrows(JpodException.class, () -> Signals.parse(s));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        return e.getMessage();
    }

    @Test
    void unknownNamesAndOutOfRangeNumbersAreRejected() {
        assertEquals("invalid signal: FOO: use a name like SIGTERM or KILL, or a number", error("FOO"));
        assertEquals("invalid signal: 0: numbers run from 1 to 64", error("0"));
        assertEquals("invalid signal: 65: numbers run from 1 to 64", error("65"));
        assertEquals("invalid signal: the signal is empty; use a name like SIGTERM or a number", error(" "));
        assertEquals("invalid signal: the signal is empty; use a name like SIGTERM or a number", error(null));
        assertEquals("invalid signal: SIGRTMINx", error("SIGRTMINx"));
        assertEquals("invalid signal: -9: use a name like SIGTERM or KILL, or a number", error("-9"));
    }

    @Test
    void realtimeOffsetsBeyondTheRealtimeRangeAreRejected() {
        error("RTMIN+40");
        error("RTMAX+1");
        error("RTMIN-1");
    }
}
