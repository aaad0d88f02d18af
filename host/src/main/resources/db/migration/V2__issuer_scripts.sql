-- Issuer scripts (docs/host.md "Issuer scripts"): every APPLICATION BLOCK / UNBLOCK the host MACs is
-- recorded here in the same transaction that answers it, so that an auditor sees who asked for what
-- on which card. The MAC itself is single-use on the card (bound to its challenge) and kept for review.
CREATE TABLE issuer_script (
    id          bigserial PRIMARY KEY,
    card_serial text NOT NULL CHECK (card_serial ~ '^[0-9A-F]{20}$'),
    action      text NOT NULL CHECK (action IN ('block', 'block_permanent', 'unblock')),
    challenge   text NOT NULL CHECK (challenge ~ '^[0-9A-F]{8}$'),
    apdu        text NOT NULL,
    hotlisted   boolean NOT NULL,
    issued_by   text NOT NULL,
    issued_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX issuer_script_card ON issuer_script (card_serial);
