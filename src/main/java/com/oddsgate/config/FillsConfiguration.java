package com.oddsgate.config;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.api.CatchUps;
import com.oddsgate.api.FillViews;
import com.oddsgate.fills.FillBook;
import com.oddsgate.fills.PositionCheck;
import com.oddsgate.kalshi.KalshiAccount;
import com.oddsgate.kalshi.KalshiFills;
import com.oddsgate.kalshi.KalshiSettings;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.message.Json;
import com.oddsgate.ops.GatewayMetrics;
import com.oddsgate.polymarket.PolymarketAccount;
import com.oddsgate.polymarket.PolymarketOrderEvents;
import com.oddsgate.polymarket.PolymarketSettings;
import com.oddsgate.polymarket.PolymarketTrades;
import com.oddsgate.venue.JsonHttp;
import com.oddsgate.venue.VenueChannel;

/** Fills, positions and their sources (routes/fills.camel.yaml). */
@Configuration(proxyBeanMethods = false)
public class FillsConfiguration {

    @Bean
    FillBook fillBook(JdbcTemplate jdbc, TransactionTemplate tx, OrderLedger ledger, Clock clock, GatewayMetrics metrics) {
        return new FillBook(jdbc, tx, ledger, clock, metrics);
    }

    @Bean
    PositionCheck positionCheck(JdbcTemplate jdbc, FillBook book, Clock clock, GatewayMetrics metrics) {
        return new PositionCheck(jdbc, book, clock, metrics);
    }

    @Bean
    PolymarketTrades polymarketTrades(PolymarketAccount account, PolymarketSettings settings, JsonHttp http, FillBook book,
            JdbcTemplate jdbc, Clock clock, Environment env) {
        return new PolymarketTrades(account, settings, http, Json.MAPPER, book, jdbc, clock,
                env.getRequiredProperty("oddsgate.fills.lookback", Duration.class),
                env.getRequiredProperty("oddsgate.fills.overlap", Duration.class),
                env.getRequiredProperty("oddsgate.polymarket.data-url"));
    }

    @Bean
    PolymarketOrderEvents polymarketOrderEvents(OrderLedger ledger) {
        return new PolymarketOrderEvents(ledger, Json.MAPPER);
    }

    @Bean
    KalshiFills kalshiFills(KalshiAccount account, KalshiSettings settings, JsonHttp http, FillBook book, Clock clock,
            Environment env) {
        return new KalshiFills(account, settings, http, book, clock,
                env.getRequiredProperty("oddsgate.fills.lookback", Duration.class),
                env.getRequiredProperty("oddsgate.fills.overlap", Duration.class));
    }

    /** Polymarket's user channel: trade events into {@code direct:polymarket-user-message}; a reconnect polls. */
    @Bean(destroyMethod = "close")
    VenueChannel polymarketUserChannel(PolymarketTrades trades, Environment env, ProducerTemplate producer) {
        return new VenueChannel("Polymarket user", env.getRequiredProperty("oddsgate.polymarket.ws-url") + "/ws/user", Map::of,
                trades::subscription, "PING", env.getRequiredProperty("oddsgate.fills.websocket.keepalive-ms", Long.class),
                frame -> producer.sendBody("direct:polymarket-user-message", frame),
                () -> producer.sendBody("direct:poll-polymarket-trades", null)).changesBy(trades::subscriptionChanges);
    }

    /** Kalshi's fill channel, its handshake signed on every connect; a reconnect polls. */
    @Bean(destroyMethod = "close")
    VenueChannel kalshiFillChannel(KalshiFills fills, Environment env, ProducerTemplate producer) {
        String url = env.getRequiredProperty("oddsgate.kalshi.ws-url");
        String path = URI.create(url).getPath();
        return new VenueChannel("Kalshi fill", url, () -> fills.handshake(path), () -> KalshiFills.SUBSCRIBE, null, 0, frame -> producer.sendBody("direct:kalshi-fill-message", frame),
                () -> producer.sendBody("direct:poll-kalshi-fills", null));
    }

    @Bean
    FillViews fillViews(FillBook book, PositionCheck check) {
        return new FillViews(book, check);
    }

    /** fills.camel.yaml: how a fill sync takes each venue's catch-up back. */
    @Bean
    CatchUps catchUps() {
        return new CatchUps();
    }
}
