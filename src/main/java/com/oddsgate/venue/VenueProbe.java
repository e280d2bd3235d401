package com.oddsgate.venue;

/**
 * What one cheap authenticated read of a venue found: whether the venue is configured at all, and
 * whether it answered and accepted our credentials. Each venue package makes its own probe; the
 * operations layer turns the result into health.
 */
public record VenueProbe(String url, boolean configured, boolean authenticated, int status) {

    public static VenueProbe notConfigured(String url) {
        return new VenueProbe(url, false, false, 0);
    }
}
