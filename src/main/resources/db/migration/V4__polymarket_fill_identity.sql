-- A Polymarket fill is (trade id, our order id): the user channel sends no bucket_index, so it can no
-- longer be part of the key. Rows an earlier version stored under another bucket are folded into
-- bucket 0 (the first of a pair is kept; its status moves forward on the next poll), and the filled
-- size of the orders concerned is summed again from the fills that count.
DELETE FROM fills
 WHERE venue = 'polymarket'
   AND EXISTS (SELECT 1 FROM fills g
                WHERE g.venue = fills.venue AND g.trade_id = fills.trade_id
                  AND g.venue_order_id = fills.venue_order_id AND g.bucket_index < fills.bucket_index);

UPDATE fills SET bucket_index = 0 WHERE venue = 'polymarket' AND bucket_index <> 0;

UPDATE orders
   SET filled_size = COALESCE((SELECT SUM(f.size) FROM fills f WHERE f.order_id = orders.id AND f.status <> 'FAILED'), 0)
 WHERE venue = 'polymarket'
   AND id IN (SELECT order_id FROM fills WHERE venue = 'polymarket' AND order_id IS NOT NULL);
