-- Several gateways on one ledger (oddsgate.cluster.enabled): one account's limits on totals are
-- checked one order at a time across all of them (a short lease per account, taken for the checks'
-- milliseconds), and an order that passed counts for every instance from then on, not only for the
-- one that admitted it (orders.risk_admitted_at, while it is still RECEIVED).
CREATE TABLE risk_holds (
    hold_key    VARCHAR(130) PRIMARY KEY,
    held_by     VARCHAR(200),
    held_until  TIMESTAMP WITH TIME ZONE
);
ALTER TABLE orders ADD COLUMN risk_admitted_at TIMESTAMP WITH TIME ZONE;
