-- The question log: questions readers asked that the articles did not
-- answer, or answered with low confidence, for the editors (briefbot
-- questions). Who asked, and where, is not kept. Rows older than the
-- retention (--question-log-days) are pruned.

CREATE TABLE questions (
	id         {{.Key}},
	question   text        NOT NULL,
	normalized text        NOT NULL, -- as answer.Normalize has it: questions asked alike group together
	article_id text        NOT NULL,
	asked_at   {{.Time}} NOT NULL,
	refused    {{.Bool}} NOT NULL
);

-- Pruning and the report read the log by time; the report finds each
-- group's latest question by its normalised form.
CREATE INDEX questions_asked ON questions (asked_at);
CREATE INDEX questions_normalized ON questions (normalized, asked_at);
