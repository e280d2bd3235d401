package com.oddsgate.api;

/** A dropped file that cannot be parsed at all: it is acknowledged with the reason and moved to .error. */
public class UnreadableFileException extends RuntimeException {

    public UnreadableFileException(String message) {
        super(message);
    }
}
