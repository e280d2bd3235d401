-- When a trader asked to cancel an order whose placement's answer was unknown (UNKNOWN, or
-- PENDING_SUBMIT): from then on the order is never sent again (recovery, a redelivery, another
-- instance), and wherever it turns out to rest it is cancelled. Kept for good: the ledger's word.
ALTER TABLE orders ADD COLUMN cancel_asked_at TIMESTAMP WITH TIME ZONE;
