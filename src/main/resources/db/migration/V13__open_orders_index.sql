-- The open-order sync walks a venue's open orders by id, a page at a time.
CREATE INDEX ix_orders_venue_state_id ON orders (venue, state, id);
