-- Readers' reports of rephrasings (bot/report) and the refusals of rewrites
-- by the guard and the verifier (bot/rewrite), for briefbot reports and
-- briefbot rejections. No user id is kept: a report is a count per text.

CREATE TABLE reports (
	id              {{.Key}},
	key             text        NOT NULL, -- the rephrasing's cache key (rephrasings.key)
	text_hash       text        NOT NULL, -- SHA-256 of shown, hex: one row per text
	article_id      text        NOT NULL,
	article_version text        NOT NULL,
	section         text        NOT NULL,
	style           text        NOT NULL,
	language        text        NOT NULL,
	model           text        NOT NULL,
	shown           text        NOT NULL, -- the rephrasing as readers were shown it
	reported        integer     NOT NULL, -- how many reports
	first_at        {{.Time}} NOT NULL,
	last_at         {{.Time}} NOT NULL,
	purged_at       {{.Time}}            -- when the cached rephrasing was dropped
);
CREATE UNIQUE INDEX reports_text ON reports (key, text_hash);
CREATE INDEX reports_last ON reports (last_at, id);

CREATE TABLE report_notes (
	report_id bigint      NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	at        {{.Time}} NOT NULL,
	note      text        NOT NULL
);
CREATE INDEX report_notes_report ON report_notes (report_id, at);

-- One row per refused attempt, and one per problem found in it.
CREATE TABLE rejections (
	id              {{.Key}},
	at              {{.Time}} NOT NULL,
	article_id      text        NOT NULL,
	article_version text        NOT NULL,
	section         text        NOT NULL,
	style           text        NOT NULL,
	language        text        NOT NULL,
	model           text        NOT NULL,
	prompt_version  text        NOT NULL,
	attempt         integer     NOT NULL
);
CREATE INDEX rejections_at ON rejections (at);

CREATE TABLE rejection_checks (
	rejection_id bigint NOT NULL REFERENCES rejections (id) ON DELETE CASCADE,
	check_name   text   NOT NULL,
	found        text   NOT NULL
);
CREATE INDEX rejection_checks_rejection ON rejection_checks (rejection_id);
