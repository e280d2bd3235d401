-- An order is replaced at most once (an amend places its replacement only after the order is
-- cancelled): two amends of one order at the same moment, on two gateway instances and with two
-- clientOrderIds given, would otherwise both place one. A second replacement recorded before this
-- rule keeps its link as a line in its history.
INSERT INTO order_events (order_id, at, from_state, to_state, source, detail)
SELECT o.id, CURRENT_TIMESTAMP, o.state, o.state, 'migration',
       CONCAT('replaced order ', CAST(o.replaces_order_id AS VARCHAR(20)), ' after another replacement of it; link kept here only')
FROM orders o
WHERE o.replaces_order_id IS NOT NULL
  AND o.id > (SELECT MIN(p.id) FROM orders p WHERE p.replaces_order_id = o.replaces_order_id);
UPDATE orders SET replaces_order_id = NULL
WHERE replaces_order_id IS NOT NULL
  AND id > (SELECT MIN(p.id) FROM orders p WHERE p.replaces_order_id = orders.replaces_order_id);
DROP INDEX ix_orders_replaces;
CREATE UNIQUE INDEX uq_orders_replaces ON orders (replaces_order_id);
