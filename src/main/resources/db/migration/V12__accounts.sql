-- Several accounts per venue: the account an order is signed and sent with (a name from the
-- configuration). Every order recorded before is the single-account settings' account, "main".
ALTER TABLE orders ADD COLUMN account VARCHAR(64);
UPDATE orders SET account = 'main' WHERE state <> 'RECEIVED' AND state <> 'REJECTED';
