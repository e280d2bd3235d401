package com.oddsgate.config;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import com.oddsgate.api.EventViews;
import com.oddsgate.api.MarketData;
import com.oddsgate.events.BestVenue;
import com.oddsgate.events.EventExposure;
import com.oddsgate.events.EventRegistry;
import com.oddsgate.fills.FillBook;
import com.oddsgate.kalshi.KalshiAccount;
import com.oddsgate.kalshi.KalshiFunds;
import com.oddsgate.kalshi.KalshiMarkets;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.order.Listing;
import com.oddsgate.polymarket.PolymarketMarkets;

/**
 * Events listed on both venues: the registry (oddsgate.events.*), the exposure across venues, and
 * best-venue orders, wired to the venues' market readers.
 */
@Configuration(proxyBeanMethods = false)
public class EventsConfiguration {

    @Bean
    EventRegistry eventRegistry(PolymarketMarkets polymarket, KalshiMarkets kalshi, Clock clock, Environment env) {
        double similarity = Settings.check(() -> {
            double s = env.getRequiredProperty("oddsgate.events.title-similarity", Double.class);
            if (s < 0 || s > 1) {
                throw new IllegalArgumentException("must be between 0 and 1, got " + s);
            }
            return s;
        }, "oddsgate.events.title-similarity");
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
        return new EventRegistry(Path.of(env.getRequiredProperty("oddsgate.events.file")), listings,
                env.getRequiredProperty("oddsgate.events.close-tolerance", Duration.class), similarity, clock);
    }

    @Bean
    EventExposure eventExposure(FillBook book, JdbcTemplate jdbc) {
        return new EventExposure(book, jdbc);
    }

    @Bean
    BestVenue bestVenue(EventRegistry registry, MarketData marketData, PolymarketMarkets polymarket, KalshiFunds kalshiFunds,
            KalshiAccount kalshiAccount, OrderLedger ledger) {
        BestVenue.Fees fees = (venue, market, price, size) -> "kalshi".equals(venue) ? kalshiFunds.fee(price, size)
                : polymarket.takerFee(market).of(price, size);
        BestVenue.Venues venues = venue -> "kalshi".equals(venue) && !kalshiAccount.configured() ? "Kalshi is not configured" : null;
        return new BestVenue(registry, marketData::levels, fees, venues, ledger);
    }

    @Bean
    EventViews eventViews(EventRegistry registry) {
        return new EventViews(registry);
    }
}
