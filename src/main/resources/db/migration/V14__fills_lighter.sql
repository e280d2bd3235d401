-- Fills: fewer index entries per fill (each one is written, and at commit re-visited, per fill).
-- (venue, venue_order_id) served no query: fills are found by trade (the unique key) or by our order id.
DROP INDEX ix_fills_venue_order;
-- Positions are asked per instrument (the risk and event limits, per order): (venue, token_id) finds
-- one instrument's fills; the whole book is a full read with or without an index.
DROP INDEX ix_fills_position;
CREATE INDEX ix_fills_instrument ON fills (venue, token_id);

-- An order's fills that count, as a running sum kept in the transaction that stores or fails each fill
-- (the fill's unique key and its one-way status make that once), so a batch no longer reads every
-- earlier fill of the orders it touches. size * price fits: 24,6 x 12,6 -> 36,12.
ALTER TABLE orders ADD COLUMN filled_notional NUMERIC(38, 12) DEFAULT 0 NOT NULL;
UPDATE orders
   SET filled_notional = COALESCE((SELECT SUM(f.size * f.price) FROM fills f WHERE f.order_id = orders.id AND f.status <> 'FAILED'), 0),
       filled_size = COALESCE((SELECT SUM(f.size) FROM fills f WHERE f.order_id = orders.id AND f.status <> 'FAILED'), 0)
 WHERE id IN (SELECT order_id FROM fills WHERE order_id IS NOT NULL);
