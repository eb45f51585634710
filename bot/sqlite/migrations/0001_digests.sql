-- Digest subscriptions, the claims on their slots, the rephrasing cache and
-- the token budget. Times are Unix microseconds, UTC.

CREATE TABLE subscriptions (
	id              INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: people type ids
	guild_id        TEXT    NOT NULL,                  -- '' for a DM digest
	channel_id      TEXT    NOT NULL,
	user_id         TEXT    NOT NULL,
	frequency       TEXT    NOT NULL,
	at_time         TEXT    NOT NULL,
	weekday         TEXT    NOT NULL,
	time_zone       TEXT    NOT NULL,
	cron            TEXT    NOT NULL,
	article_id      TEXT    NOT NULL,
	style           TEXT    NOT NULL,
	language        TEXT    NOT NULL,
	state           TEXT    NOT NULL CHECK (state IN ('active', 'paused')),
	pause_reason    TEXT    NOT NULL,
	next_run        INTEGER NOT NULL,
	created_at      INTEGER NOT NULL,
	rotation        INTEGER NOT NULL DEFAULT 0,
	last_posted_at  INTEGER,
	last_message_id TEXT    NOT NULL DEFAULT ''
);

-- Finding due subscriptions walks this index from its start: it never
-- touches paused rows or rows not yet due.
CREATE INDEX subscriptions_due ON subscriptions (next_run, id) WHERE state = 'active';
CREATE INDEX subscriptions_guild ON subscriptions (guild_id, id);
CREATE INDEX subscriptions_dm ON subscriptions (user_id, id) WHERE guild_id = '';

-- One row per (subscription, slot) that a process claimed: see bot.Claim
-- for why this, with Discord's nonces, posts each slot once.
CREATE TABLE slot_claims (
	subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
	slot            INTEGER NOT NULL,
	owner           TEXT    NOT NULL,
	lease_until     INTEGER NOT NULL,
	sent_at         INTEGER,           -- when the latest send began; NULL if none
	attempts        INTEGER NOT NULL DEFAULT 0,
	done            INTEGER NOT NULL DEFAULT 0,
	message_id      TEXT    NOT NULL DEFAULT '',
	finished_at     INTEGER,
	PRIMARY KEY (subscription_id, slot)
);

CREATE INDEX slot_claims_live ON slot_claims (lease_until) WHERE done = 0;

CREATE TABLE rephrasings (
	key   TEXT PRIMARY KEY,
	value BLOB NOT NULL
);

CREATE TABLE token_usage (
	guild_id TEXT    NOT NULL,
	day      TEXT    NOT NULL, -- UTC, 2006-01-02
	tokens   INTEGER NOT NULL,
	PRIMARY KEY (guild_id, day)
);
