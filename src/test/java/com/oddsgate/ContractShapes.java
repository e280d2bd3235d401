package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;

/** The venues' documented shapes (src/test/resources/venue-contracts) and the check that an answer has them. */
public final class ContractShapes {

    private ContractShapes() {
    }

    /**
     * The documented fields are all there with the same JSON types (recursively; every element of an
     * array against the documented first), and nothing is there that the documented answer does not
     * have. A documented whole number is answered whole, a fraction may be; a documented string that is
     * a decimal figure ("0.5500", "4.00", "1672290701") is answered as a decimal figure too.
     */
    public static void sameShape(String where, JsonNode documented, JsonNode actual) {
        assertThat(actual).as(where + ": an answer").isNotNull();
        assertThat(actual.getNodeType()).as(where + ": type").isEqualTo(documented.getNodeType());
        if (documented.isIntegralNumber()) {
            assertThat(actual.isIntegralNumber()).as(where + ": a whole number, as documented, not " + actual).isTrue();
        }
        if (documented.isTextual() && DECIMAL.matcher(documented.asText()).matches()) {
            assertThat(actual.asText()).as(where + ": a decimal figure in a string, as documented").matches(DECIMAL);
        }
        if (documented.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = documented.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                assertThat(actual.has(f.getKey())).as(where + ": documented field '" + f.getKey() + "' in " + actual).isTrue();
                sameShape(where + "." + f.getKey(), f.getValue(), actual.get(f.getKey()));
            }
            for (Iterator<String> it = actual.fieldNames(); it.hasNext();) {
                String name = it.next();
                assertThat(documented.has(name)).as(where + ": '" + name + "' is not in the venue's answer").isTrue();
            }
        } else if (documented.isArray() && documented.size() > 0) {
            for (int i = 0; i < actual.size(); i++) {
                sameShape(where + "[" + i + "]", documented.get(0), actual.get(i));
            }
        }
    }

    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?");

    public static JsonNode call(JsonNode contract, String name) {
        for (JsonNode c : contract.get("calls")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no call '" + name + "' in the contract");
    }

    public static JsonNode answer(JsonNode contract, String call, int index) {
        return call(contract, call).get("answers").get(index).get("body");
    }

    public static JsonNode contract(String file) {
        try (InputStream in = ContractShapes.class.getResourceAsStream("/venue-contracts/" + file)) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
