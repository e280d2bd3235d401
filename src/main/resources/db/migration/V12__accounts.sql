-- Several accounts per venue: the account an order is signed and sent with (a name from the
-- configuration). NULL: the venue's default account (every order recorded before accounts).
ALTER TABLE orders ADD COLUMN account VARCHAR(64);
