-- Orders the open-order sync found open at the venue after the ledger had ended them, and that were
-- not meant to rest (a trader's cancel, an amend, the kill switch, recovery): every sync cancels them
-- again until they have left the book, so a cancel that fails once is not forgotten.
CREATE TABLE sync_cancels (
    order_id BIGINT PRIMARY KEY REFERENCES orders (id),
    since    TIMESTAMP WITH TIME ZONE NOT NULL
);
