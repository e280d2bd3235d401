package com.oddsgate.venue;

import java.util.List;

/** One venue channel per account, started, stopped and watched together. */
public class VenueChannels implements AutoCloseable {

    private final List<VenueChannel> channels;

    public VenueChannels(List<VenueChannel> channels) {
        this.channels = List.copyOf(channels);
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
