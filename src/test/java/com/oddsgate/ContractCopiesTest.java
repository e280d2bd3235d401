package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The venue contracts and vectors under src/test/resources are copies of the shared ones, byte for byte: a
 * shape the tests need beyond them is added in the test that needs it, with its source, never in
 * the copy. Checked where the shared folder is there (a developer's machine); skipped elsewhere,
 * since the tests must not depend on it.
 */
class ContractCopiesTest {

    @ParameterizedTest
    @ValueSource(strings = {"kalshi-2026.json", "polymarket-2026.json", "README.md"})
    void theCopyIsTheSharedContract(String file) throws IOException {
        assertCopied("venue-contracts", file);
    }

    /** The official client's known-answer vectors, likewise (the signing tests read the copies). */
    @ParameterizedTest
    @ValueSource(strings = {"polymarket.json", "polymarket-poly1271.json"})
    void theVectorsAreTheSharedOnes(String file) throws IOException {
        assertCopied("vectors", file);
    }

    private static void assertCopied(String folder, String file) throws IOException {
        Path shared = Path.of("..", "shared", folder, file);
        assumeTrue(Files.isRegularFile(shared), "no shared " + folder + " here");
        try (InputStream copy = ContractCopiesTest.class.getResourceAsStream("/" + folder + "/" + file)) {
            assertThat(copy).as(file).isNotNull();
            assertThat(copy.readAllBytes()).as(file + " differs from " + shared).isEqualTo(Files.readAllBytes(shared));
        }
    }
}
