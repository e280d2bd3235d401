package com.oddsgate.config;

import java.time.Clock;
import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.api.FillViews;
import com.oddsgate.api.Json;
import com.oddsgate.fills.FillBook;
import com.oddsgate.fills.PositionCheck;
import com.oddsgate.kalshi.KalshiAccount;
import com.oddsgate.kalshi.KalshiFillStream;
import com.oddsgate.kalshi.KalshiFills;
import com.oddsgate.kalshi.KalshiSettings;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ops.GatewayMetrics;
import com.oddsgate.polymarket.PolymarketAccount;
import com.oddsgate.polymarket.PolymarketSettings;
import com.oddsgate.polymarket.PolymarketTrades;
import com.oddsgate.venue.JsonHttp;

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
                env.getRequiredProperty("oddsgate.polymarket.data-url"))
                .keepalive(Duration.ofMillis(env.getRequiredProperty("oddsgate.fills.websocket.keepalive-ms", Long.class)));
    }

    @Bean
    KalshiFills kalshiFills(KalshiAccount account, KalshiSettings settings, JsonHttp http, FillBook book, Clock clock,
            Environment env) {
        return new KalshiFills(account, settings, http, book, clock,
                env.getRequiredProperty("oddsgate.fills.lookback", Duration.class),
                env.getRequiredProperty("oddsgate.fills.overlap", Duration.class));
    }

    /** Kalshi's fill channel: frames into {@code direct:kalshi-fill-message}, gaps and reconnects into a catch-up poll. */
    @Bean(destroyMethod = "close")
    KalshiFillStream kalshiFillStream(KalshiAccount account, Clock clock, Environment env,
            org.apache.camel.ProducerTemplate producer) {
        return new KalshiFillStream(account, env.getRequiredProperty("oddsgate.kalshi.ws-url"), clock, Json.MAPPER,
                frame -> producer.sendBody("direct:kalshi-fill-message", frame),
                () -> producer.asyncSendBody("direct:poll-kalshi-fills", null));
    }

    @Bean
    FillViews fillViews(FillBook book, PositionCheck check) {
        return new FillViews(book, check);
    }
}
