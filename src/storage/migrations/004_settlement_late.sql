-- Late transactions: those received after their business date's run are settled by the next
-- run of their cycle (docs/adr/0009-settlement-and-ledger.md). A run remembers where the
-- previous one of its cycle stopped reading (late_from); a line says how much of it was late.

ALTER TABLE settlement_runs ADD COLUMN late_from timestamptz;
ALTER TABLE settlement_lines ADD COLUMN late_transaction_count int NOT NULL DEFAULT 0;
ALTER TABLE settlement_lines ADD COLUMN late_net_fen bigint NOT NULL DEFAULT 0;

-- Late transactions are found by when they arrived; BRIN, like occurred_at, costs ingest little.
CREATE INDEX transactions_received_brin ON transactions USING brin (received_at);
