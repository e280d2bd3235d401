-- reduceOnly is part of the order (sent to Kalshi as reduce_only): stored, shown, and carried to an amend's replacement.
ALTER TABLE orders ADD COLUMN reduce_only BOOLEAN DEFAULT FALSE NOT NULL;
