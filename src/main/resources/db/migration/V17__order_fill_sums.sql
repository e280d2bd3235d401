-- An order's running fill sums (V14) in a narrow table of their own. H2 carries out an UPDATE by
-- taking the row out of every index of its table and putting it back, whether an indexed column
-- changed or not, and orders has eight: a fill's sums cost its order sixteen index writes there and
-- two here, and new fills were bound by them (BENCHMARKS.md). An order has a row from its first fill
-- on; filled_at is when its sums last changed.
CREATE TABLE order_fills (
    order_id        BIGINT          NOT NULL PRIMARY KEY REFERENCES orders (id),
    filled_size     NUMERIC(24, 6)  NOT NULL,
    filled_notional NUMERIC(38, 12) NOT NULL,
    avg_fill_price  NUMERIC(18, 10),
    filled_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

INSERT INTO order_fills (order_id, filled_size, filled_notional, avg_fill_price, filled_at)
SELECT id, filled_size, filled_notional, avg_fill_price, updated_at FROM orders
 WHERE filled_size <> 0 OR filled_notional <> 0 OR avg_fill_price IS NOT NULL
    OR EXISTS (SELECT 1 FROM fills f WHERE f.order_id = orders.id);

ALTER TABLE orders DROP COLUMN filled_size;
ALTER TABLE orders DROP COLUMN filled_notional;
ALTER TABLE orders DROP COLUMN avg_fill_price;
