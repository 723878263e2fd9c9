package io.jpod.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** fatih/camelcase examples (vendored by containers/common) and podman's resulting headers. */
class CamelCaseTest {
    @Test
    void splitExamples() {
        assertEquals(List.of(""), CamelCase.split(""));
        assertEquals(List.of("lowercase"), CamelCase.split("lowercase"));
        assertEquals(List.of("Class"), CamelCase.split("Class"));
        assertEquals(List.of("My", "Class"), CamelCase.split("MyClass"));
        assertEquals(List.of("My", "C"), CamelCase.split("MyC"));
        assertEquals(List.of("HTML"), CamelCase.split("HTML"));
        assertEquals(List.of("PDF", "Loader"), CamelCase.split("PDFLoader"));
        assertEquals(List.of("A", "String"), CamelCase.split("AString"));
        assertEquals(List.of("Simple", "XML", "Parser"), CamelCase.split("SimpleXMLParser"));
        assertEquals(List.of("vim", "RPC", "Plugin"), CamelCase.split("vimRPCPlugin"));
        assertEquals(List.of("GL", "11", "Version"), CamelCase.split("GL11Version"));
        assertEquals(List.of("99", "Bottles"), CamelCase.split("99Bottles"));
        assertEquals(List.of("May", "5"), CamelCase.split("May5"));
        assertEquals(List.of("BFG", "9000"), CamelCase.split("BFG9000"));
        assertEquals(List.of("Böse", "Überraschung"), CamelCase.split("BöseÜberraschung"));
        assertEquals(List.of("Two", "  ", "spaces"), CamelCase.split("Two  spaces"));
    }

    @Test
    void podmanHeaders() {
        assertEquals("RUNNING FOR", CamelCase.header("RunningFor"));
        assertEquals("ID", CamelCase.header("ID"));
        assertEquals("CREATED AT", CamelCase.header("CreatedAt"));
        assertEquals("FIELDB", CamelCase.header("Fieldb"));
        assertEquals("FIELD C", CamelCase.header("fieldC"));
        // observed: podman network ls --format 'table {{.IPv6Enabled}} {{.DNSEnabled}} {{.NetworkInterface}}'
        assertEquals("I PV 6 ENABLED", CamelCase.header("IPv6Enabled"));
        assertEquals("DNS ENABLED", CamelCase.header("DNSEnabled"));
        assertEquals("NETWORK INTERFACE", CamelCase.header("NetworkInterface"));
    }
}
