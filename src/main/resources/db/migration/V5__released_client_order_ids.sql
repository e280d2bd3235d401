-- A request refused before anything was signed or sent does not keep its clientOrderId: the id is
-- moved to released_client_order_id (still shown), so the same id sent again is a new order.
ALTER TABLE orders ADD COLUMN released_client_order_id VARCHAR(100);
ALTER TABLE orders ALTER COLUMN client_order_id DROP NOT NULL;
