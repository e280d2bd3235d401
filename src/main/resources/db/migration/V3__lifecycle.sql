-- Amends: a replacement order points at the order it replaced (the ledger links both ways through it).
ALTER TABLE orders ADD COLUMN replaces_order_id BIGINT;
CREATE INDEX ix_orders_replaces ON orders (replaces_order_id);
CREATE INDEX ix_orders_venue_market_state ON orders (venue, market, state);
