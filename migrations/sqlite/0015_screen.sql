-- The big screen at the ceremony, per campaign: what the public screen and
-- the operator's private rehearsal screen show (a mode, and in a staged
-- reveal how many winners are shown), and the ranking each froze on.
-- `revision` grows with every press: every instance's results refresh reads
-- it, so every screen follows a press within a refresh.
CREATE TABLE screen_states (
    campaign_id         INTEGER PRIMARY KEY REFERENCES campaigns (id),
    public_mode         TEXT NOT NULL DEFAULT 'waiting'
        CHECK (public_mode IN ('waiting', 'live', 'hidden', 'frozen', 'reveal')),
    public_revealed     INTEGER NOT NULL DEFAULT 0 CHECK (public_revealed >= 0),
    public_frozen       TEXT,
    rehearsal_mode      TEXT NOT NULL DEFAULT 'hidden'
        CHECK (rehearsal_mode IN ('waiting', 'live', 'hidden', 'frozen', 'reveal')),
    rehearsal_revealed  INTEGER NOT NULL DEFAULT 0 CHECK (rehearsal_revealed >= 0),
    rehearsal_frozen    TEXT,
    revision            INTEGER NOT NULL DEFAULT 0,
    updated_at_ms       INTEGER NOT NULL
);
