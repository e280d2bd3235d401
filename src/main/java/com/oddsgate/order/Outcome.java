package com.oddsgate.order;

public enum Outcome {
    YES, NO
}
