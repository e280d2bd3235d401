-- When a Polymarket order was first found off the venue's book short of its size (by the open-order
-- sync, or by a cancel whose answer could not say cancelled or matched): a look at least
-- oddsgate.recovery.min-age later that finds it so still takes it for cancelled (a match's trades can
-- trail it). In the ledger, so that every instance and the next leader judge by the same first look.
ALTER TABLE orders ADD COLUMN missing_since TIMESTAMP WITH TIME ZONE;
