-- Digest subscriptions, the claims on their slots, the rephrasing cache and
-- the token budget. A text/template: the dialect's Types fill in the column
-- types that differ between engines. Times are UTC, to the microsecond
-- (SQLite: Unix microseconds; PostgreSQL: timestamptz).

CREATE TABLE subscriptions (
	id              {{.Key}}, -- never reused: people type ids
	guild_id        text        NOT NULL, -- '' for a DM digest
	channel_id      text        NOT NULL,
	user_id         text        NOT NULL,
	frequency       text        NOT NULL,
	at_time         text        NOT NULL,
	weekday         text        NOT NULL,
	time_zone       text        NOT NULL,
	cron            text        NOT NULL,
	article_id      text        NOT NULL,
	style           text        NOT NULL,
	language        text        NOT NULL,
	state           text        NOT NULL CHECK (state IN ('active', 'paused')),
	pause_reason    text        NOT NULL,
	next_run        {{.Time}} NOT NULL,
	created_at      {{.Time}} NOT NULL,
	rotation        bigint      NOT NULL DEFAULT 0,
	last_posted_at  {{.Time}},
	last_message_id text        NOT NULL DEFAULT ''
);

-- Finding due subscriptions walks this index from its start: it never
-- touches paused rows or rows not yet due.
CREATE INDEX subscriptions_due ON subscriptions (next_run, id) WHERE state = 'active';
CREATE INDEX subscriptions_guild ON subscriptions (guild_id, id);
CREATE INDEX subscriptions_dm ON subscriptions (user_id, id) WHERE guild_id = '';

-- One row per (subscription, slot) that a process claimed: see bot.Claim
-- for why this, with Discord's nonces, posts each slot once.
CREATE TABLE slot_claims (
	subscription_id bigint      NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
	slot            {{.Time}} NOT NULL,
	owner           text        NOT NULL,
	lease_until     {{.Time}} NOT NULL,
	sent_at         {{.Time}}, -- when the latest send began; NULL if none
	attempts        integer     NOT NULL DEFAULT 0,
	done            {{.Bool}} NOT NULL DEFAULT {{.False}},
	message_id      text        NOT NULL DEFAULT '',
	finished_at     {{.Time}},
	PRIMARY KEY (subscription_id, slot)
);

-- NextDue reads the live claims' leases here. A query must spell "not done"
-- as this predicate does (done = {{.False}}) for the planner to use it.
CREATE INDEX slot_claims_live ON slot_claims (lease_until) WHERE done = {{.False}};

CREATE TABLE rephrasings (
	key   text PRIMARY KEY,
	value {{.Bytes}} NOT NULL
);

CREATE TABLE token_usage (
	guild_id text   NOT NULL,
	day      {{.Day}} NOT NULL, -- UTC, 2006-01-02
	tokens   bigint NOT NULL,
	PRIMARY KEY (guild_id, day)
);
