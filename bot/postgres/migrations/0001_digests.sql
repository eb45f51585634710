-- Digest subscriptions, the claims on their slots, the rephrasing cache and
-- the token budget.

CREATE TABLE subscriptions (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- never reused: people type ids
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
	next_run        timestamptz NOT NULL,
	created_at      timestamptz NOT NULL,
	rotation        bigint      NOT NULL DEFAULT 0,
	last_posted_at  timestamptz,
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
	slot            timestamptz NOT NULL,
	owner           text        NOT NULL,
	lease_until     timestamptz NOT NULL,
	sent_at         timestamptz, -- when the latest send began; NULL if none
	attempts        integer     NOT NULL DEFAULT 0,
	done            boolean     NOT NULL DEFAULT false,
	message_id      text        NOT NULL DEFAULT '',
	finished_at     timestamptz,
	PRIMARY KEY (subscription_id, slot)
);

CREATE INDEX slot_claims_live ON slot_claims (lease_until) WHERE NOT done;

CREATE TABLE rephrasings (
	key   text PRIMARY KEY,
	value bytea NOT NULL
);

CREATE TABLE token_usage (
	guild_id text   NOT NULL,
	day      date   NOT NULL, -- UTC
	tokens   bigint NOT NULL,
	PRIMARY KEY (guild_id, day)
);
