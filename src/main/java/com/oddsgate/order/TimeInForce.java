package com.oddsgate.order;

/** GTC and GTD rest on the book; FOK and FAK are marketable and never rest. */
public enum TimeInForce {
    GTC, GTD, FOK, FAK;

    public boolean marketable() {
        return this == FOK || this == FAK;
    }
}
