-- The issuer host's schema (docs/host.md). Idempotency lives here, in unique keys, so that any
-- number of host instances can share this database.

-- Bearer credentials: only the SHA-256 of each token is kept.
CREATE TABLE credential (
    token_hash  bytea PRIMARY KEY,
    role        text NOT NULL CHECK (role IN ('terminal', 'admin')),
    terminal_id text CHECK ((role = 'terminal') = (terminal_id IS NOT NULL)),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The ledger, in TigerBeetle's shape: a posting is a transfer of one positive amount from one account
-- to another, so its two lines (-amount on the first, +amount on the second) sum to zero by
-- construction. A posting may be pending (a load whose MAC2 has left), then posted or voided; only
-- posted postings have lines. Accounts are named 'float:<card serial>', 'merchant:<terminal id>',
-- 'agent:<terminal id>' and 'settlement'; an account's balance is the sum of its lines.
CREATE TABLE posting (
    id           bigserial PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('purchase', 'load', 'settlement')),
    reference    bigint,
    state        text NOT NULL CHECK (state IN ('pending', 'posted', 'voided')),
    from_account text NOT NULL,
    to_account   text NOT NULL CHECK (to_account <> from_account),
    amount       bigint NOT NULL CHECK (amount > 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    resolved_at  timestamptz
);
CREATE INDEX posting_from ON posting (from_account);
CREATE INDEX posting_to ON posting (to_account);

-- The lines of every posted posting: what a double-entry reader expects to query.
CREATE VIEW ledger_line AS
    SELECT id AS posting_id, from_account AS account, -amount AS amount FROM posting WHERE state = 'posted'
    UNION ALL
    SELECT id AS posting_id, to_account AS account, amount FROM posting WHERE state = 'posted';

-- Cleared purchases. The unique key is exactly what the TAC authenticates (PROTOCOL.md 5.2):
-- whatever repeats an upload, the second insert finds the first.
CREATE TABLE purchase (
    id              bigserial PRIMARY KEY,
    card_serial     text NOT NULL,
    terminal_id     text NOT NULL,
    terminal_serial bigint NOT NULL,
    tx_date         text NOT NULL,
    tx_time         text NOT NULL,
    amount          bigint NOT NULL CHECK (amount > 0),
    aid             text NOT NULL,
    currency        text NOT NULL,
    offline_counter integer NOT NULL,
    balance_before  bigint NOT NULL,
    tac             text NOT NULL,
    cleared_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT purchase_identity UNIQUE (card_serial, terminal_id, terminal_serial, tx_date, tx_time, amount)
);
CREATE INDEX purchase_terminal_day ON purchase (terminal_id, tx_date);

-- Online loads: pending when MAC2 has left, posted by a verified TAC or by the card's next online
-- counter, voided when that counter says the card never credited it.
CREATE TABLE card_load (
    id             bigserial PRIMARY KEY,
    card_serial    text NOT NULL,
    terminal_id    text NOT NULL,
    aid            text NOT NULL,
    amount         bigint NOT NULL CHECK (amount > 0),
    currency       text NOT NULL,
    old_balance    bigint NOT NULL,
    online_counter integer NOT NULL,
    random         text NOT NULL,
    tx_date        text NOT NULL,
    tx_time        text NOT NULL,
    state          text NOT NULL CHECK (state IN ('pending', 'posted', 'voided')),
    settled_by     text CHECK (settled_by IN ('tac', 'counter')),
    posting_id     bigint NOT NULL REFERENCES posting (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    resolved_at    timestamptz
);
-- At most one pending load per card (PROTOCOL.md 5.3).
CREATE UNIQUE INDEX card_load_one_pending ON card_load (card_serial) WHERE state = 'pending';
-- A card's online counter moves only forward: one live load per counter value.
CREATE UNIQUE INDEX card_load_counter ON card_load (card_serial, online_counter) WHERE state <> 'voided';
CREATE INDEX card_load_terminal_day ON card_load (terminal_id, tx_date);

-- The hot list and its version, which grows with every change.
CREATE TABLE hotlist (
    card_serial text PRIMARY KEY,
    listed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE hotlist_version (
    id      integer PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO hotlist_version VALUES (1, 0);
