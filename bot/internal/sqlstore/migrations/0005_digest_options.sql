-- Digest options: the one role a digest pings ('' for none), and whether a
-- digest posted in an announcement channel is published to the channels
-- that follow it.

ALTER TABLE subscriptions ADD COLUMN mention_role text NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN publish {{.Bool}} NOT NULL DEFAULT {{.False}};
