-- Several gateways on one account: only the leader sends Polymarket heartbeats; it publishes here
-- since when they fail, so that every instance refuses new orders meanwhile.
ALTER TABLE gateway_instances ADD COLUMN heartbeats_failing_since TIMESTAMP WITH TIME ZONE;
