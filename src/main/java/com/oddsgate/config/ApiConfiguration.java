package com.oddsgate.config;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.oddsgate.api.ApiAnswers;
import com.oddsgate.api.CalledAnswer;
import com.oddsgate.api.BatchOrders;
import com.oddsgate.api.BulkCancels;
import com.oddsgate.api.CatchUps;
import com.oddsgate.api.DeadLetterViews;
import com.oddsgate.api.FileInboxResume;
import com.oddsgate.api.FileOrders;
import com.oddsgate.api.FillViews;
import com.oddsgate.api.MarketData;
import com.oddsgate.api.OpenOrders;
import com.oddsgate.api.OrderAmends;
import com.oddsgate.api.OrderCancels;
import com.oddsgate.api.OrderRejections;
import com.oddsgate.api.OrderViews;
import com.oddsgate.api.Previews;
import com.oddsgate.api.RestOrders;
import com.oddsgate.fills.FillQueries;
import com.oddsgate.fills.PositionCheck;
import com.oddsgate.kalshi.KalshiFunds;
import com.oddsgate.kalshi.KalshiOrders;
import com.oddsgate.kalshi.KalshiSettings;
import com.oddsgate.kalshi.KalshiVenue;
import com.oddsgate.ledger.DeadLetters;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.RecoveryScan;
import com.oddsgate.ops.GatewayMetrics;
import com.oddsgate.order.OrderNormalizer;
import com.oddsgate.order.OrderValidator;
import com.oddsgate.polymarket.protocol.CancellationEvents;
import com.oddsgate.polymarket.protocol.PolymarketFunds;
import com.oddsgate.kalshi.KalshiAccounts;
import com.oddsgate.polymarket.protocol.PolymarketAccounts;
import com.oddsgate.polymarket.protocol.PolymarketMarkets;
import com.oddsgate.polymarket.protocol.PolymarketOrders;
import com.oddsgate.polymarket.protocol.PolymarketRecovery;
import com.oddsgate.polymarket.protocol.PolymarketSettings;
import com.oddsgate.venue.VenueChannels;
import com.oddsgate.venue.VenueReads;

/**
 * What the routes call to take requests in and answer them: normalizing and validating, REST and file
 * intake, views, previews, cancels, amends, batches, open orders, market data, fills and dead letters.
 */
@Configuration(proxyBeanMethods = false)
public class ApiConfiguration {

    @Bean
    OrderNormalizer orderNormalizer() {
        return new OrderNormalizer();
    }

    @Bean
    OrderValidator orderValidator(Clock clock) {
        return new OrderValidator(clock);
    }

    @Bean
    RestOrders restOrders(OrderNormalizer normalizer) {
        return new RestOrders(normalizer);
    }

    @Bean
    FileOrders fileOrders(OrderNormalizer normalizer, OrderLedger ledger, OddsgateProperties settings) {
        return new FileOrders(normalizer, ledger, settings.fileMaxBytes());
    }

    @Bean
    FileInboxResume fileInboxResume(FileOrders fileOrders, RecoveryScan recoveryScan) {
        return new FileInboxResume(fileOrders, recoveryScan::closeInterruptedBeforeResume);
    }

    @Bean
    OrderRejections orderRejections(OrderLedger ledger) {
        return new OrderRejections(ledger);
    }

    @Bean
    CalledAnswer calledAnswer() {
        return new CalledAnswer();
    }

    @Bean
    ApiAnswers apiAnswers() {
        return new ApiAnswers();
    }

    @Bean
    OrderViews orderViews(OrderLedger ledger, PolymarketMarkets markets, FillViews fills) {
        return new OrderViews(ledger, markets, fills);
    }

    @Bean
    Previews previews(PolymarketOrders orders, PolymarketSettings settings, PolymarketAccounts accounts,
            KalshiOrders kalshiOrders, KalshiSettings kalshiSettings, KalshiAccounts kalshiAccounts, Clock clock) {
        return new Previews(orders, settings, accounts, kalshiOrders, kalshiSettings, kalshiAccounts, clock);
    }

    @Bean
    OrderCancels orderCancels(OrderLedger ledger) {
        return new OrderCancels(ledger);
    }

    @Bean
    DeadLetterViews deadLetterViews(DeadLetters deadLetters, OrderLedger ledger) {
        return new DeadLetterViews(deadLetters, ledger);
    }

    @Bean
    MarketData marketData(PolymarketMarkets markets, PolymarketSettings settings, PolymarketAccounts accounts,
            PolymarketFunds funds, KalshiAccounts kalshiAccounts, KalshiFunds kalshiFunds,
            KalshiSettings kalshiSettings, OrderLedger ledger, VenueReads reads, Clock clock) {
        return new MarketData(markets, settings, accounts, funds, kalshiAccounts, kalshiFunds, kalshiSettings, ledger,
                reads, clock);
    }

    @Bean
    BulkCancels bulkCancels(OrderLedger ledger, PolymarketMarkets markets, PolymarketAccounts polymarketAccounts,
            KalshiAccounts kalshiAccounts, KalshiVenue kalshiVenue) {
        return new BulkCancels(ledger, markets, polymarketAccounts, kalshiAccounts, kalshiVenue);
    }

    @Bean
    OrderAmends orderAmends(OrderLedger ledger, OrderNormalizer normalizer, PolymarketRecovery recovery,
            CancellationEvents cancellations, VenueChannels polymarketUserChannel, OddsgateProperties settings) {
        return new OrderAmends(ledger, normalizer, recovery, cancellations, polymarketUserChannel,
                settings.polymarket().amendCancellationWait());
    }

    @Bean
    BatchOrders batchOrders(RestOrders restOrders, OrderLedger ledger) {
        return new BatchOrders(restOrders, ledger);
    }

    @Bean
    OpenOrders openOrders(OrderLedger ledger, PolymarketRecovery recovery,
            KalshiVenue kalshi, GatewayMetrics metrics, Clock clock, OddsgateProperties settings) {
        // A Polymarket order off the book with no trade listed is taken for cancelled once missing this long (trades can trail).
        return new OpenOrders(ledger, recovery, kalshi, metrics, clock, settings.recovery().minAge());
    }

    @Bean
    FillViews fillViews(FillQueries book, PositionCheck check) {
        return new FillViews(book, check);
    }

    /** fills.camel.yaml: how a fill sync takes each venue's catch-up back. */
    @Bean
    CatchUps catchUps() {
        return new CatchUps();
    }
}
