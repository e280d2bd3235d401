-- Kalshi does not document whether a fill frame's trade_id is the REST fill's trade_id or its fill_id
-- (kalshi-2026.json, websocket notes): a REST fill is stored by its trade_id, and its fill_id, where
-- it differs, is kept here, so that a frame naming the fill by either id finds the one row.
-- Written only for fills that have a second id (none for Polymarket).
CREATE TABLE fill_aliases (
    venue           VARCHAR(32)   NOT NULL,
    alias_id        VARCHAR(100)  NOT NULL,
    venue_order_id  VARCHAR(100)  NOT NULL,
    trade_id        VARCHAR(100)  NOT NULL,
    CONSTRAINT pk_fill_aliases PRIMARY KEY (venue, alias_id, venue_order_id)
);
