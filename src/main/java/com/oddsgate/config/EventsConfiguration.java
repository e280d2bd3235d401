package com.oddsgate.config;

import java.nio.file.Path;
import java.time.Clock;

import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import com.oddsgate.api.EventViews;
import com.oddsgate.api.MarketData;
import com.oddsgate.events.BestVenue;
import com.oddsgate.events.EventExposure;
import com.oddsgate.events.EventRegistry;
import com.oddsgate.fills.FillQueries;
import com.oddsgate.kalshi.KalshiAccount;
import com.oddsgate.kalshi.KalshiAccounts;
import com.oddsgate.kalshi.KalshiFunds;
import com.oddsgate.kalshi.KalshiMarkets;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.Listing;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.OrderValidator;
import com.oddsgate.polymarket.protocol.PolymarketAccounts;
import com.oddsgate.polymarket.protocol.PolymarketHeartbeats;
import com.oddsgate.polymarket.protocol.PolymarketMarkets;

/**
 * Events listed on both venues: the registry (oddsgate.events.*), the exposure across venues, and
 * best-venue orders, wired to the venues' market readers.
 */
@Configuration(proxyBeanMethods = false)
public class EventsConfiguration {

    /**
     * Read before anything can trade: the file's pairings are in force at once, UNVERIFIED (a
     * pairing's orders are refused) until the venues are asked, as soon as the routes run (below);
     * then by events-reload.
     */
    @Bean
    EventRegistry eventRegistry(PolymarketMarkets polymarket, KalshiMarkets kalshi, Clock clock, OddsgateProperties settings) {
        OddsgateProperties.Events events = settings.events();
        EventRegistry.Listings listings = new EventRegistry.Listings() {
            @Override
            public Listing polymarket(String slug) {
                return polymarket.listing(slug);
            }

            @Override
            public Listing kalshi(String ticker) {
                return kalshi.listing(ticker);
            }
        };
        EventRegistry registry = new EventRegistry(Path.of(events.file()), listings, events.closeTolerance(),
                events.titleSimilarity(), events.recheck(), clock);
        registry.reload();
        return registry;
    }

    /** The first check, as soon as the routes that ask the venues run (events-reload's first turn may come later). */
    @Bean
    CamelContextConfiguration firstEventsRead(EventRegistry registry) {
        return new OnceRoutesRun(registry::reload);
    }

    @Bean
    EventExposure eventExposure(FillQueries book, JdbcTemplate jdbc) {
        return new EventExposure(book, jdbc);
    }

    @Bean
    BestVenue bestVenue(EventRegistry registry, MarketData marketData, PolymarketMarkets polymarket, KalshiMarkets kalshi,
            KalshiFunds kalshiFunds, KalshiAccount kalshiAccount, PolymarketAccounts polymarketAccounts, KalshiAccounts kalshiAccounts,
            OrderValidator validator, OrderLedger ledger, PolymarketHeartbeats heartbeats) {
        BestVenue.Fees fees = (venue, market, price, size) -> "kalshi".equals(venue) ? kalshiFunds.fee(price, size)
                : polymarket.takerFee(market).of(price, size);
        BestVenue.Venues venues = new BestVenue.Venues() {
            @Override
            public String unavailable(String venue) {
                return "kalshi".equals(venue) && !kalshiAccount.configured() ? "Kalshi " + BestVenue.NOT_CONFIGURED : null;
            }

            @Override
            public String refuses(CanonicalOrder candidate) {
                OrderTicket probe = new OrderTicket("best-venue", null, null);
                probe.setOrder(candidate);
                try {
                    if ("kalshi".equals(candidate.venue())) {
                        kalshiAccounts.resolve(probe); // the order's account must exist there too
                        kalshi.resolve(probe);
                    } else {
                        polymarketAccounts.resolve(probe);
                        heartbeats.admit(probe); // its heartbeats failing, it takes no order now: the other venue may
                        polymarket.resolve(probe);
                    }
                    validator.validateForMarket(probe);
                    return null;
                } catch (OrderRejectedException e) {
                    return e.status() == 503 ? BestVenue.NOT_NOW + ": " + e.getMessage() : "its rules refuse the order: " + e.getMessage();
                } catch (RuntimeException e) {
                    return BestVenue.NOT_NOW + ": the market cannot be read (" + e.getMessage() + ")";
                }
            }
        };
        return new BestVenue(registry, marketData::levels, fees, venues, ledger);
    }

    @Bean
    EventViews eventViews(EventRegistry registry) {
        return new EventViews(registry);
    }
}
