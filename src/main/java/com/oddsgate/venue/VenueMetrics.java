package com.oddsgate.venue;

import java.time.Duration;

/**
 * What the venue adapters report about their calls. Implemented by the operations layer
 * ({@code ops.GatewayMetrics}), so that venue code never depends on it.
 */
public interface VenueMetrics {

    VenueMetrics NONE = new VenueMetrics() {
        @Override
        public void signed(String venue, Duration took) {
        }

        @Override
        public void roundTrip(String venue, String outcome, Duration took) {
        }
    };

    /** Building and signing one venue request took this long. */
    void signed(String venue, Duration took);

    /** One venue call, from sending to its answer, ended with this outcome. */
    void roundTrip(String venue, String outcome, Duration took);
}
