-- Each trip or re-arm names the row it followed, once: two written at once over the same last row
-- (a trip and a re-arm on two gateways, neither seeing the other's uncommitted row) cannot both
-- stand, so the switch cannot end ARMED after a trip that was answered TRIPPED.
ALTER TABLE kill_switch_events ADD COLUMN follows_id BIGINT;
CREATE UNIQUE INDEX kill_switch_events_follows ON kill_switch_events (follows_id);
