package com.oddsgate.order;

public enum OrderType {
    LIMIT, MARKET
}
