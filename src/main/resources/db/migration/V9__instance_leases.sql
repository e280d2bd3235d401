-- Several gateways on one ledger: each order records the instance that took it, and each instance
-- holds a lease it renews while it runs. Recovery resolves its own orders, and another instance's
-- only once that instance's lease has run out (it is gone), taking them over first.
ALTER TABLE orders ADD COLUMN owner VARCHAR(128);
CREATE TABLE gateway_instances (
    id          VARCHAR(128) PRIMARY KEY,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_until TIMESTAMP WITH TIME ZONE NOT NULL
);
