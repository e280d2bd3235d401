package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oddsgate.message.Json;
import com.oddsgate.sim.VenueSignatures;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The gateway against a stand-in Polymarket written here, apart from the built-in simulator, that
 * answers only in the documented shapes ({@code venue-contracts/polymarket-2026.json} and the venue
 * facts): placement answers {@code {success, errorMsg, orderID, status, …}}, {@code POST /orders}
 * arrays, {@code {canceled, not_canceled}} cancels, {@code /data/trades} pages of trades addressed to
 * us ({@code owner} = us, {@code trader_side}, another party's maker order in the same trade),
 * positions from the data API. Orders are identified by their EIP-712 hash (web3j's encoder, through
 * the simulators' independent checker). Every order ends in the state the stand-in holds, with its id.
 */
@TestPropertySource(properties = {"oddsgate.polymarket.funds-check=false"})
class PolymarketStandInTest extends GatewayTestSupport {

    static final String SLUG = "standin-rain";
    static final String CONDITION = "0x" + "ab".repeat(32);
    static final String YES = "71321045679252212594626385532706912750332728571942532289631379312455583992563";
    static final String NO = "52114319501245915516055106046884209969926127482827954674443846427813813222426";
    static final StandIn VENUE = new StandIn();

    @DynamicPropertySource
    static void standIn(DynamicPropertyRegistry r) {
        String base = "http://127.0.0.1:" + VENUE.server.getAddress().getPort();
        r.add("oddsgate.test.polymarket-clob-url", () -> base + "/clob");
        r.add("oddsgate.test.polymarket-gamma-url", () -> base + "/gamma");
        r.add("oddsgate.test.polymarket-data-url", () -> base + "/data-api");
        ownLedgerAndFolders(r, "polymarket-standin");
    }

    @AfterAll
    static void stop() {
        VENUE.server.stop(0);
    }

    @Test
    void placeBatchCancelAndReconcileAgainstTheDocumentedShapes() {
        Answer resting = post("/api/orders", order("YES", "BUY", "0.30", "10", "ps-rest"));
        assertThat(resting.status()).as(resting.body()).isEqualTo(201);
        assertThat(resting.json().get("state").asText()).isEqualTo("LIVE");
        String restingHash = resting.json().get("orderHash").asText();
        assertThat(resting.json().get("venueOrderId").asText()).isEqualTo(restingHash);
        assertThat(VENUE.status(restingHash)).isEqualTo("LIVE");

        Answer taker = post("/api/orders", order("YES", "BUY", "0.60", "5", "ps-take"));
        assertThat(taker.json().get("state").asText()).as("matched at once").isEqualTo("MATCHED");

        Answer batch = post("/api/orders/batch", "[" + order("YES", "BUY", "0.20", "10", "ps-b1") + ","
                + order("NO", "BUY", "0.25", "10", "ps-b2") + "," + order("YES", "BUY", "0.21", "10", "ps-b3") + "]");
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        assertThat(VENUE.batches.get()).isEqualTo(1);
        assertThat(states(batch)).containsExactly("LIVE", "LIVE", "REJECTED");
        assertThat(batch.json().get("orders").get(2).get("reason").asText()).contains("not enough balance");

        // Someone takes 4 of our resting order; another party's maker order is in the same trade.
        VENUE.takerHits(restingHash, new BigDecimal("4"));

        // Cancel by id, then by market.
        long b1 = batch.json().get("orders").get(0).get("id").asLong();
        assertThat(delete("/api/orders/" + b1).status()).isEqualTo(200);
        assertThat(VENUE.status(batch.json().get("orders").get(0).get("orderHash").asText())).isEqualTo("CANCELED");
        Answer byMarket = delete("/api/orders?venue=polymarket&market=" + CONDITION);
        assertThat(byMarket.status()).as(byMarket.body()).isEqualTo(200);
        assertThat(VENUE.marketCancels.get()).isEqualTo(1);

        // Fills and positions: exactly our parts, at our prices and sizes.
        post("/api/fills/sync", "");
        JsonNode restView = get("/api/orders/" + resting.json().get("id").asLong()).json();
        assertThat(restView.get("filledSize").asText()).isEqualTo("4");
        assertThat(restView.get("fills").get(0).get("price").asText()).isEqualTo("0.3");
        assertThat(get("/api/orders/" + taker.json().get("id").asLong()).json().get("filledSize").asText()).isEqualTo("5");
        Map<String, BigDecimal> ours = new LinkedHashMap<>();
        for (JsonNode p : get("/api/positions?venue=polymarket").json().get("positions")) {
            if (p.get("tokenId").asText().equals(YES) || p.get("tokenId").asText().equals(NO)) {
                ours.put(p.get("tokenId").asText(), new BigDecimal(p.get("size").asText()));
            }
        }
        assertThat(ours).containsOnlyKeys(YES);
        assertThat(ours.get(YES)).isEqualByComparingTo("9").isEqualByComparingTo(VENUE.position(YES));

        // Every order as the stand-in holds it, under its id.
        for (String c : List.of("ps-rest", "ps-b1", "ps-b2", "ps-take")) {
            JsonNode view = ledger(c);
            String hash = view.get("orderHash").asText();
            assertThat(view.get("venueOrderId").asText()).as(c).isEqualTo(hash);
            String venueStatus = VENUE.status(hash);
            assertThat(view.get("state").asText()).as(c + " at the venue: " + venueStatus)
                    .isEqualTo(venueStatus.equals("MATCHED") ? "FILLED" : venueStatus);
        }
        assertThat(VENUE.orders).as("the refused one never rested").doesNotContainKey(ledger("ps-b3").get("orderHash").asText());
    }

    @Test
    void aBatchAnsweredInAnotherOrderGivesEachOrderItsOwnAnswer() {
        VENUE.reverseBatches = true;
        Answer batch;
        try {
            batch = post("/api/orders/batch", "[" + order("YES", "BUY", "0.22", "10", "ps-r1") + ","
                    + order("YES", "BUY", "0.21", "10", "ps-r2") + "," + order("NO", "BUY", "0.23", "10", "ps-r3") + "]");
        } finally {
            VENUE.reverseBatches = false;
        }
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        // Answered [r3, r2 refused, r1]: each order's answer is the one naming its hash; the one refusal left is r2's.
        for (String c : List.of("ps-r1", "ps-r3")) {
            JsonNode view = ledger(c);
            assertThat(view.get("venueOrderId").asText()).as(c + ": its own id, not its neighbour's").isEqualTo(view.get("orderHash").asText());
            assertThat(view.get("state").asText()).as(c).isEqualTo(VENUE.status(view.get("orderHash").asText()));
        }
        assertThat(ledger("ps-r2").get("state").asText()).isEqualTo("REJECTED");
    }

    private static List<String> states(Answer a) {
        List<String> out = new ArrayList<>();
        a.json().get("orders").forEach(o -> out.add(o.get("state").asText()));
        return out;
    }

    private JsonNode ledger(String clientOrderId) {
        return orderView("polymarket", clientOrderId);
    }

    private static String order(String outcome, String side, String price, String size, String clientOrderId) {
        return "{\"venue\":\"polymarket\",\"market\":\"" + SLUG + "\",\"outcome\":\"" + outcome + "\",\"side\":\"" + side
                + "\",\"price\":\"" + price + "\",\"size\":\"" + size + "\",\"clientOrderId\":\"" + clientOrderId + "\"}";
    }

    /** Polymarket as documented: only the documented shapes, nothing from the gateway. */
    static final class StandIn {
        final HttpServer server;
        final Map<String, ObjectNode> orders = new LinkedHashMap<>(); // order hash → {status, token, side, price, size, matched}
        final List<ObjectNode> trades = new ArrayList<>();
        final AtomicInteger batches = new AtomicInteger();
        final AtomicInteger marketCancels = new AtomicInteger();
        /** Answers a batch's items last first (nothing documented says the venue keeps their order). */
        volatile boolean reverseBatches;
        String apiKey = "";
        String funder = "";

        StandIn() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", this::handle);
            server.start();
        }

        synchronized String status(String hash) {
            return orders.get(hash).get("status").asText();
        }

        synchronized BigDecimal position(String token) {
            BigDecimal p = BigDecimal.ZERO;
            for (ObjectNode t : trades) {
                boolean weTake = apiKey.equals(t.get("trade_owner").asText());
                if (weTake && t.get("asset_id").asText().equals(token)) {
                    BigDecimal q = new BigDecimal(t.get("size").asText());
                    p = t.get("side").asText().equals("BUY") ? p.add(q) : p.subtract(q);
                }
                for (JsonNode m : t.get("maker_orders")) {
                    if (apiKey.equals(m.get("owner").asText()) && m.get("asset_id").asText().equals(token)) {
                        BigDecimal q = new BigDecimal(m.get("matched_amount").asText());
                        p = orders.get(m.get("order_id").asText()).get("side").asText().equals("BUY") ? p.add(q) : p.subtract(q);
                    }
                }
            }
            return p;
        }

        /** A taker from elsewhere SELLs into our resting BUY and another party's, in one trade. */
        synchronized void takerHits(String hash, BigDecimal size) {
            ObjectNode ours = orders.get(hash);
            ObjectNode t = trade("0x" + "cd".repeat(32), "someone-else", ours.get("token").asText(), "SELL",
                    size.add(BigDecimal.ONE), ours.get("price").asText());
            ArrayNode makers = t.putArray("maker_orders");
            makers.addObject().put("order_id", hash).put("owner", apiKey).put("maker_address", funder)
                    .put("matched_amount", size.toPlainString()).put("price", ours.get("price").asText())
                    .put("asset_id", ours.get("token").asText()).put("outcome", "YES");
            makers.addObject().put("order_id", "0x" + "ef".repeat(32)).put("owner", "a-third-party")
                    .put("maker_address", "0x000000000000000000000000000000000000bEEF").put("matched_amount", "1")
                    .put("price", ours.get("price").asText()).put("asset_id", ours.get("token").asText()).put("outcome", "YES");
            matched(ours, size);
            trades.add(t);
        }

        private ObjectNode trade(String takerOrder, String takerKey, String token, String side, BigDecimal size, String price) {
            String now = Long.toString(java.time.Instant.now().getEpochSecond());
            return Json.MAPPER.createObjectNode().put("id", UUID.randomUUID().toString()).put("taker_order_id", takerOrder)
                    .put("market", CONDITION).put("asset_id", token).put("side", side).put("size", size.toPlainString())
                    .put("price", price).put("status", "MATCHED").put("match_time", now).put("bucket_index", 0)
                    .put("trade_owner", takerKey).put("outcome", token.equals(YES) ? "YES" : "NO");
        }

        private void matched(ObjectNode o, BigDecimal size) {
            BigDecimal m = new BigDecimal(o.get("matched").asText()).add(size);
            o.put("matched", m.toPlainString());
            if (m.compareTo(new BigDecimal(o.get("size").asText())) >= 0) {
                o.put("status", "MATCHED");
            }
        }

        private synchronized void handle(HttpExchange x) throws IOException {
            String path = x.getRequestURI().getPath();
            String method = x.getRequestMethod();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.startsWith("/clob/") && !path.equals("/clob/version") && !path.startsWith("/clob/clob-markets/")
                    && x.getRequestHeaders().getFirst("POLY_API_KEY") == null) {
                StandIns.reply(x, 401, "{\"error\":\"Unauthorized/Invalid api key\"}");
                return;
            }
            if (path.equals("/gamma/markets")) {
                StandIns.reply(x, 200, "[{\"slug\":\"" + SLUG + "\",\"conditionId\":\"" + CONDITION + "\",\"clobTokenIds\":\"[\\\"" + YES
                        + "\\\", \\\"" + NO + "\\\"]\",\"negRisk\":false,\"orderPriceMinTickSize\":0.01,\"orderMinSize\":5,"
                        + "\"active\":true,\"closed\":false}]");
            } else if (path.equals("/clob/clob-markets/" + CONDITION)) {
                StandIns.reply(x, 200, "{\"t\":[{\"t\":\"" + YES + "\",\"o\":\"Yes\"},{\"t\":\"" + NO + "\",\"o\":\"No\"}],\"mts\":0.01,"
                        + "\"nr\":false,\"fd\":{\"r\":0,\"e\":1}}");
            } else if (path.equals("/clob/version")) {
                StandIns.reply(x, 200, "{\"version\":2}");
            } else if (path.equals("/clob/time")) {
                StandIns.reply(x, 200, Long.toString(java.time.Instant.now().getEpochSecond()));
            } else if (method.equals("POST") && path.equals("/clob/order")) {
                ObjectNode answer = place(Json.tryRead(body));
                StandIns.reply(x, answer.path("success").asBoolean() ? 200 : 400, answer.path("success").asBoolean() ? answer.toString()
                        : "{\"error\":\"" + answer.get("errorMsg").asText() + "\"}");
            } else if (method.equals("POST") && path.equals("/clob/orders")) {
                batches.incrementAndGet();
                ArrayNode out = Json.MAPPER.createArrayNode();
                Json.tryRead(body).forEach(o -> out.add(place(o)));
                if (reverseBatches) {
                    List<JsonNode> items = new ArrayList<>();
                    out.forEach(items::add);
                    out.removeAll();
                    for (int i = items.size() - 1; i >= 0; i--) {
                        out.add(items.get(i));
                    }
                }
                StandIns.reply(x, 200, out.toString());
            } else if (method.equals("DELETE") && path.equals("/clob/order")) {
                StandIns.reply(x, 200, cancel(List.of(Json.tryRead(body).get("orderID").asText())).toString());
            } else if (method.equals("DELETE") && path.equals("/clob/cancel-market-orders")) {
                marketCancels.incrementAndGet();
                String market = Json.tryRead(body).path("market").asText();
                List<String> ids = orders.entrySet().stream().filter(e -> e.getValue().get("status").asText().equals("LIVE")
                        && market.equals(CONDITION)).map(Map.Entry::getKey).toList();
                StandIns.reply(x, 200, cancel(ids).toString());
            } else if (method.equals("GET") && path.equals("/clob/data/trades")) {
                StandIns.reply(x, 200, tradesPage(StandIns.query(x, "next_cursor")));
            } else if (method.equals("GET") && path.equals("/data-api/positions")) {
                int offset = StandIns.query(x, "offset") == null ? 0 : Integer.parseInt(StandIns.query(x, "offset"));
                ArrayNode out = Json.MAPPER.createArrayNode();
                if (offset == 0) {
                    for (String token : List.of(YES, NO)) {
                        BigDecimal p = position(token);
                        if (p.signum() != 0) {
                            out.addObject().put("proxyWallet", funder).put("asset", token).put("conditionId", CONDITION)
                                    .put("size", p.doubleValue()).put("outcome", token.equals(YES) ? "Yes" : "No");
                        }
                    }
                }
                StandIns.reply(x, 200, out.toString());
            } else {
                StandIns.reply(x, 404, "{\"error\":\"not found: " + method + " " + path + "\"}");
            }
        }

        /**
         * The documented placement answer. A BUY at 0.21 stands for one the venue refuses (the documented
         * 400 shape, inside a batch an item with success false); a BUY at 0.60 or more matches at once.
         */
        private ObjectNode place(JsonNode request) {
            JsonNode o = request.get("order");
            apiKey = request.get("owner").asText();
            funder = o.get("maker").asText().toLowerCase(Locale.ROOT);
            String hash = org.web3j.utils.Numeric.toHexString(VenueSignatures.orderHash(2, o, false));
            BigDecimal maker = new BigDecimal(new java.math.BigInteger(o.get("makerAmount").asText()), 6);
            BigDecimal taker = new BigDecimal(new java.math.BigInteger(o.get("takerAmount").asText()), 6);
            boolean buy = o.get("side").asText().equals("BUY");
            BigDecimal size = buy ? taker : maker;
            BigDecimal price = (buy ? maker : taker).divide(size, 2, java.math.RoundingMode.HALF_EVEN);
            if (price.compareTo(new BigDecimal("0.21")) == 0) {
                return Json.MAPPER.createObjectNode().put("success", false).put("errorMsg", "not enough balance / allowance")
                        .put("orderID", "").put("status", "").put("makingAmount", "").put("takingAmount", "");
            }
            ObjectNode held = Json.MAPPER.createObjectNode().put("status", "LIVE").put("token", o.get("tokenId").asText())
                    .put("side", o.get("side").asText()).put("price", price.toPlainString()).put("size", size.toPlainString())
                    .put("matched", "0");
            orders.put(hash, held);
            ObjectNode answer = Json.MAPPER.createObjectNode().put("success", true).put("errorMsg", "").put("orderID", hash);
            if (buy && price.compareTo(new BigDecimal("0.60")) >= 0) {
                ObjectNode t = trade(hash, apiKey, held.get("token").asText(), "BUY", size, price.toPlainString());
                t.put("maker_address", funder).putArray("maker_orders").addObject().put("order_id", "0x" + "aa".repeat(32))
                        .put("owner", "liquidity").put("maker_address", "0x000000000000000000000000000000000000dEaD")
                        .put("matched_amount", size.toPlainString()).put("price", price.toPlainString())
                        .put("asset_id", held.get("token").asText()).put("outcome", "YES");
                trades.add(t);
                matched(held, size);
                answer.put("status", "matched").put("makingAmount", maker.toPlainString()).put("takingAmount", size.toPlainString());
                answer.putArray("transactionsHashes").add("0x" + "12".repeat(32));
                answer.putArray("tradeIDs").add(t.get("id").asText());
            } else {
                answer.put("status", "live").put("makingAmount", "").put("takingAmount", "");
            }
            return answer;
        }

        private ObjectNode cancel(List<String> ids) {
            ObjectNode out = Json.MAPPER.createObjectNode();
            ArrayNode canceled = out.putArray("canceled");
            ObjectNode notCanceled = out.putObject("not_canceled");
            for (String id : ids) {
                ObjectNode o = orders.get(id);
                if (o == null) {
                    notCanceled.put(id, "order not found");
                } else if (!o.get("status").asText().equals("LIVE")) {
                    notCanceled.put(id, "order can't be canceled: it is " + o.get("status").asText().toLowerCase(Locale.ROOT));
                } else {
                    o.put("status", "CANCELED");
                    canceled.add(id);
                }
            }
            return out;
        }

        /** One trade a page, addressed to us: owner = us, trader_side our part. Cursor MA== … LTE=. */
        private String tradesPage(String cursor) {
            int at = cursor == null || cursor.equals("MA==") ? 0
                    : Integer.parseInt(new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8));
            ObjectNode out = Json.MAPPER.createObjectNode().put("limit", 1);
            ArrayNode data = out.putArray("data");
            if (at < trades.size()) {
                ObjectNode t = trades.get(at).deepCopy();
                t.put("owner", apiKey).put("trader_side", apiKey.equals(t.get("trade_owner").asText()) ? "TAKER" : "MAKER");
                t.remove("trade_owner");
                if (!t.has("maker_address")) {
                    t.put("maker_address", "");
                }
                data.add(t);
            }
            out.put("count", data.size());
            return out.put("next_cursor", at + 1 < trades.size()
                    ? Base64.getEncoder().encodeToString(Integer.toString(at + 1).getBytes(StandardCharsets.UTF_8)) : "LTE=").toString();
        }


    }
}
