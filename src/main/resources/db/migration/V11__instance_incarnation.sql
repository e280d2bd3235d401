-- Each start of a gateway process writes a fresh incarnation into its instance row. A renewal that
-- finds another incarnation there means a second live process uses the same instance id: the older
-- one stops acting on orders (and says so in health) instead of both resolving the same orders.
ALTER TABLE gateway_instances ADD COLUMN incarnation VARCHAR(64);
