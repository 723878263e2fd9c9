package io.jpod.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pflag's rules, which podman's command line follows. */
class ArgsTest {
    static final List<Flag> FLAGS = List.of(
            Flag.value("name", "name"),
            Flag.value("env", 'e', "env"),
            Flag.value("tail", "tail"),
            Flag.bool("detach", 'd', "detach"),
            Flag.bool("interactive", 'i', "interactive"),
            Flag.bool("tty", 't', "tty"),
            Flag.bool("rm", "rm"));

    static Args parse(int stopAfter, String... args) {
        return Args.parse(FLAGS, List.of(args), stopAfter);
    }

    @Test
    void longFlagTakesTheNextArgument() {
        Args a = parse(0, "--name", "web", "img");
        assertEquals("web", a.get("name"));
        assertEquals(List.of("img"), a.positionals());
    }

    @Test
    void longFlagWithEqualsKeepsEverythingAfterTheFirstEquals() {
        Args a = parse(0, "--env=A=b=c", "--name=");
        assertEquals("A=b=c", a.get("env"));
        assertEquals("", a.get("name"), "an explicitly empty value");
        assertTrue(a.has("name"));
    }

    @Test
    void shortFlagTakesTheNextArgumentOrTheRestOfTheWord() {
        assertEquals("x", parse(0, "-e", "x").get("env"));
        assertEquals("x", parse(0, "-ex").get("env"));
        assertEquals("A=1", parse(0, "-e=A=1").get("env"));
    }

    @Test
    void repeatedFlagsAreAllKeptInOrderAndGetReturnsTheLast() {
        Args a = parse(0, "-e", "A=1", "--env", "B=2", "-eC=3");
        assertEquals(List.of("A=1", "B=2", "C=3"), a.all("env"));
        assertEquals("C=3", a.get("env"));
        assertEquals(List.of(), a.all("name"));
    }

    @Test
    void shortBooleansGroup() {
        Args a = parse(0, "-dit");
        assertTrue(a.bool("detach"));
        assertTrue(a.bool("interactive"));
        assertTrue(a.bool("tty"));
    }

    @Test
    void aGroupMayEndWithAFlagTakingAValue() {
        Args a = parse(0, "-de", "A=1");
        assertTrue(a.bool("detach"));
        assertEquals("A=1", a.get("env"));
        Args b = parse(0, "-deA=1", "img");
        assertEquals("A=1", b.get("env"));
        assertEquals(List.of("img"), b.positionals());
    }

    @Test
    void booleanLongFlagsTakeExplicitValues() {
        assertFalse(parse(0, "--rm=false").bool("rm"));
        assertTrue(parse(0, "--rm=false").has("rm"));
        assertTrue(parse(0, "--rm=true").bool("rm"));
        assertTrue(parse(0, "--rm=1").bool("rm"));
        assertFalse(parse(0, "--rm=0").bool("rm"));
        assertFalse(parse(0, "--rm", "--rm=f").bool("rm"), "the last one wins");
        assertTrue(parse(0, "--rm").bool("rm"));
        assertFalse(parse(0).bool("rm"));
    }

    @Test
    void aBooleanDoesNotSwallowTheNextArgument() {
        Args a = parse(0, "--rm", "false");
        assertTrue(a.bool("rm"));
        assertEquals(List.of("false"), a.positionals());
    }

    @Test
    void badBooleanValueIsRejected() {
        UsageException e = assertThrows(UsageException.class, () -> parse(0, "--rm=maybe"));
        assertEquals("invalid argument \"maybe\" for \"--rm\" flag: use true or false", e.getMessage());
    }

    @Test
    void unknownFlagsAreNamed() {
        assertEquals("unknown flag: --nope", assertThrows(UsageException.class, () -> parse(0, "--nope")).getMessage());
        assertEquals("unknown flag: --nope", assertThrows(UsageException.class, () -> parse(0, "--nope=1")).getMessage());
        assertEquals("unknown shorthand flag: 'x' in -dx",
                assertThrows(UsageException.class, () -> parse(0, "-dx")).getMessage());
    }

    @Test
    void missingValuesAreNamed() {
        assertEquals("flag needs an argument: --name",
                assertThrows(UsageException.class, () -> parse(0, "--name")).getMessage());
        assertEquals("flag needs an argument: 'e' in -e",
                assertThrows(UsageException.class, () -> parse(0, "-e")).getMessage());
    }

    @Test
    void parsingStopsAfterTheImageSoTheContainersFlagsAreItsOwn() {
        Args a = parse(1, "-d", "img", "ls", "-la", "--name", "x", "--");
        assertTrue(a.bool("detach"));
        assertNull(a.get("name"));
        assertEquals(List.of("img", "ls", "-la", "--name", "x", "--"), a.positionals());
    }

    @Test
    void flagsMayFollowPositionalsWhenParsingDoesNotStop() {
        Args a = parse(0, "web", "--tail", "5", "db");
        assertEquals("5", a.get("tail"));
        assertEquals(List.of("web", "db"), a.positionals());
    }

    @Test
    void doubleDashEndsFlags() {
        Args a = parse(0, "-d", "--", "-e", "--name", "x");
        assertTrue(a.bool("detach"));
        assertFalse(a.has("env"));
        assertEquals(List.of("-e", "--name", "x"), a.positionals());
    }

    @Test
    void aLoneDashIsAPositional() {
        assertEquals(List.of("-"), parse(0, "-").positionals());
    }

    @Test
    void integerValuesAreCheckedWithTheFlagNamed() {
        assertEquals(-1, parse(0, "--tail", "-1").integer("tail"));
        assertNull(parse(0).integer("tail"));
        UsageException e = assertThrows(UsageException.class, () -> parse(0, "--tail", "ten").integer("tail"));
        assertEquals("invalid argument \"ten\" for \"--tail\" flag: expected a whole number", e.getMessage());
    }
}
