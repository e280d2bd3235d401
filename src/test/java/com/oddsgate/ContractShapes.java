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
     * The documented fields are all there with the same JSON types (recursively; arrays by their
     * first element), and nothing is there that the documented answer does not have.
     */
    public static void sameShape(String where, JsonNode documented, JsonNode actual) {
        assertThat(actual).as(where + ": an answer").isNotNull();
        assertThat(actual.getNodeType()).as(where + ": type").isEqualTo(documented.getNodeType());
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
        } else if (documented.isArray() && documented.size() > 0 && actual.size() > 0) {
            sameShape(where + "[0]", documented.get(0), actual.get(0));
        }
    }

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
