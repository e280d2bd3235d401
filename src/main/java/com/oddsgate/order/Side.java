package com.oddsgate.order;

public enum Side {
    BUY, SELL
}
