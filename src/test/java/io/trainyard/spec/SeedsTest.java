package io.trainyard.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SeedsTest {
    @Test
    void derivedSeedsAreStableAndDifferByPurposeAndIndex() {
        assertEquals(Seeds.derive(42, "split"), Seeds.derive(42, "split"));
        assertNotEquals(Seeds.derive(42, "split"), Seeds.derive(42, "order"));
        assertNotEquals(Seeds.derive(42, "split"), Seeds.derive(43, "split"));
        assertNotEquals(Seeds.derive(42, "row", 1), Seeds.derive(42, "row", 2));
    }
}
