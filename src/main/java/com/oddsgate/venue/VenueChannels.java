package com.oddsgate.venue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One venue channel per account, started, stopped and watched together. */
public class VenueChannels implements AutoCloseable {

    private final List<VenueChannel> channels;
    private final Map<String, VenueChannel> byAccount;

    public VenueChannels(List<VenueChannel> channels) {
        this.channels = List.copyOf(channels);
        this.byAccount = Map.of();
    }

    /** One channel per account, by the account's name. */
    public VenueChannels(Map<String, VenueChannel> byAccount) {
        this.byAccount = Map.copyOf(byAccount);
        this.channels = List.copyOf(new LinkedHashMap<>(byAccount).values());
    }

    /**
     * An order of this account was recorded in this market (routes/venue-polymarket.camel.yaml): if
     * the account's channel does not follow the market yet, its subscription is changed now.
     */
    public void follow(String account, String market) {
        VenueChannel c = account == null ? null : byAccount.get(account);
        if (c != null && market != null && !c.follows(market)) {
            c.refresh();
        }
    }

    /** Whether this account's channel is streaming frames about this market now (see {@link VenueChannel#streaming}). */
    public boolean streaming(String account, String market) {
        VenueChannel c = account == null ? null : byAccount.get(account);
        return c != null && market != null && c.streaming(market);
    }

    public void start() {
        channels.forEach(VenueChannel::start);
    }

    /** Connects every channel to this endpoint (the route names it). */
    public void start(String endpoint) {
        channels.forEach(c -> c.start(endpoint));
    }

    public void stop() {
        channels.forEach(VenueChannel::stop);
    }

    /** The fewest (re)connects of any one channel: 0 while one has never connected. */
    public int connects() {
        return channels.stream().mapToInt(VenueChannel::connects).min().orElse(0);
    }

    public int catchUps() {
        return channels.stream().mapToInt(VenueChannel::catchUps).sum();
    }

    /** Whether any channel has gone silent. */
    public boolean silent() {
        return channels.stream().anyMatch(VenueChannel::silent);
    }

    public List<VenueChannel> all() {
        return channels;
    }

    @Override
    public void close() {
        channels.forEach(VenueChannel::close);
    }
}
