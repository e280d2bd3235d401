-- The fee the venue reports for a fill (Kalshi: fee_cost, in dollars); null where the venue's fill
-- does not carry one (Polymarket's trades do not).
ALTER TABLE fills ADD COLUMN fee NUMERIC(18, 6);
