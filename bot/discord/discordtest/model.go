package discordtest

import (
	"encoding/json"
	"strconv"
	"time"
)

// User is a Discord user known to the fake.
type User struct {
	ID       string
	Username string
	Bot      bool
	// DMsClosed makes messages to this user's DM channel fail with
	// 403 code 50007, as when a user blocks the bot or closes DMs.
	DMsClosed bool
}

// Application is the bot's application.
type Application struct {
	ID   string
	Name string
}

// Guild is a guild the bot is in.
type Guild struct {
	ID     string
	Name   string
	Locale string // preferred locale, "" means en-US
}

// Channel types the fake models.
const (
	ChannelTypeText         = 0
	ChannelTypeDM           = 1
	ChannelTypeAnnouncement = 5 // a guild's announcement channel, whose messages can be crossposted
)

// Role is a role of a guild.
type Role struct {
	ID      string
	GuildID string
	Name    string
	// Mentionable lets anyone ping the role, the bot included.
	Mentionable bool
}

// Access is what the bot may do in a channel.
type Access int

const (
	// AccessFull lets the bot see the channel and send to it.
	AccessFull Access = iota
	// AccessNoSend lets the bot see the channel but answers sends with
	// 403 code 50013 (Missing Permissions).
	AccessNoSend
	// AccessNone answers every request about the channel with 403 code
	// 50001 (Missing Access).
	AccessNone
)

// Channel is a channel known to the fake.
type Channel struct {
	ID          string
	GuildID     string // empty for a DM
	Name        string
	Type        int    // ChannelTypeText or ChannelTypeDM
	RecipientID string // the other user of a DM
	Access      Access
}

// AddUser makes a user known, e.g. as a DM recipient. It returns the user,
// with an ID assigned if it had none.
func (s *Server) AddUser(u User) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addUserLocked(u)
}

func (s *Server) addUserLocked(u User) User {
	if u.ID == "" {
		u.ID = s.nextIDLocked()
	}
	if u.Username == "" {
		u.Username = "user" + u.ID[len(u.ID)-4:]
	}
	cp := u
	s.users[u.ID] = &cp
	s.notifyLocked()
	return u
}

// AddGuild adds a guild the bot is in, with an ID assigned if it had none.
// A session that already identified on the guild's shard receives
// GUILD_CREATE for it, as when the bot is invited.
func (s *Server) AddGuild(g Guild) Guild {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g.ID == "" {
		g.ID = s.nextIDLocked()
	}
	s.addGuildLocked(g)
	if sess := s.sessionForLocked(g.ID); sess != nil && sess.intents&intentGuilds != 0 {
		s.dispatchLocked(sess, "GUILD_CREATE", s.guildJSONLocked(g.ID), nil)
	}
	return g
}

func (s *Server) addGuildLocked(g Guild) {
	if g.Name == "" {
		g.Name = "guild " + g.ID
	}
	if _, ok := s.guilds[g.ID]; !ok {
		s.gorder = append(s.gorder, g.ID)
	}
	s.guilds[g.ID] = &guildState{Guild: g}
	s.notifyLocked()
}

// AddChannel adds a channel, with an ID assigned if it had none. A guild
// channel's guild must exist.
func (s *Server) AddChannel(c Channel) Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.ID == "" {
		c.ID = s.nextIDLocked()
	}
	if c.GuildID != "" {
		if _, ok := s.guilds[c.GuildID]; !ok {
			s.t.Fatalf("discordtest: AddChannel: unknown guild %s", c.GuildID)
		}
	}
	s.addChannelLocked(c)
	return c
}

func (s *Server) addChannelLocked(c Channel) {
	if c.Name == "" && c.GuildID != "" {
		c.Name = "channel-" + c.ID
	}
	if c.GuildID == "" && c.Type == ChannelTypeText {
		c.Type = ChannelTypeDM
	}
	if _, ok := s.chans[c.ID]; !ok && c.GuildID != "" {
		g := s.guilds[c.GuildID]
		g.channels = append(g.channels, c.ID)
	}
	if c.Type == ChannelTypeDM && c.RecipientID != "" {
		s.dms[c.RecipientID] = c.ID
	}
	cp := c
	s.chans[c.ID] = &cp
	s.notifyLocked()
}

// AddRole adds a role to a guild, with an ID assigned if it had none. An
// option of type role that names it is resolved in the interaction, as
// Discord does.
func (s *Server) AddRole(r Role) Role {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.guilds[r.GuildID]; !ok {
		s.t.Fatalf("discordtest: AddRole: unknown guild %s", r.GuildID)
	}
	if r.ID == "" {
		r.ID = s.nextIDLocked()
	}
	if r.Name == "" {
		r.Name = "role-" + r.ID
	}
	cp := r
	s.roles[r.ID] = &cp
	s.notifyLocked()
	return r
}

func roleJSON(r Role) obj {
	return obj{
		"id": r.ID, "name": r.Name, "color": 0, "hoist": false, "icon": nil, "unicode_emoji": nil,
		"position": 1, "permissions": "0", "managed": false, "mentionable": r.Mentionable, "flags": 0,
	}
}

// SetChannelAccess changes what the bot may do in a channel.
func (s *Server) SetChannelAccess(channelID string, a Access) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chans[channelID]
	if !ok {
		s.t.Fatalf("discordtest: SetChannelAccess: unknown channel %s", channelID)
	}
	c.Access = a
	s.notifyLocked()
}

// SetDMsClosed changes whether a user accepts DMs from the bot.
func (s *Server) SetDMsClosed(userID string, closed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[userID]
	if !ok {
		s.t.Fatalf("discordtest: SetDMsClosed: unknown user %s", userID)
	}
	u.DMsClosed = closed
	s.notifyLocked()
}

// DMChannel returns the ID of the DM channel between the bot and the user,
// creating it if needed, as POST /users/@me/channels does.
func (s *Server) DMChannel(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[userID]; !ok {
		s.t.Fatalf("discordtest: DMChannel: unknown user %s", userID)
	}
	return s.dmChannelLocked(userID)
}

func (s *Server) dmChannelLocked(userID string) string {
	if id, ok := s.dms[userID]; ok {
		return id
	}
	c := Channel{ID: s.nextIDLocked(), Type: ChannelTypeDM, RecipientID: userID}
	s.addChannelLocked(c)
	return c.ID
}

// shardOf is the shard that receives a guild's events.
func shardOf(guildID string, count int) int {
	if guildID == "" || count <= 1 {
		return 0
	}
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil {
		return 0
	}
	return int((id >> 22) % uint64(count))
}

// timestamp formats t as Discord does.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000+00:00") }

// snowflakeTime is the creation time encoded in a snowflake.
func snowflakeTime(id string) time.Time {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return time.Unix(0, 0)
	}
	return time.UnixMilli(int64(n>>22) + discordEpochMs)
}

type obj = map[string]any

func userJSON(u User) obj {
	o := obj{
		"id":            u.ID,
		"username":      u.Username,
		"discriminator": "0",
		"global_name":   nil,
		"avatar":        nil,
		"public_flags":  0,
	}
	if u.Bot {
		o["bot"] = true
	}
	return o
}

func (s *Server) userLocked(id string) User {
	if u, ok := s.users[id]; ok {
		return *u
	}
	return User{ID: id, Username: "unknown"}
}

func (s *Server) channelJSONLocked(c *Channel) obj {
	o := obj{"id": c.ID, "type": c.Type, "last_message_id": nil, "flags": 0}
	if c.Type == ChannelTypeDM {
		o["recipients"] = []obj{userJSON(s.userLocked(c.RecipientID))}
		return o
	}
	o["guild_id"] = c.GuildID
	o["name"] = c.Name
	o["position"] = 0
	o["permission_overwrites"] = []any{}
	o["nsfw"] = false
	o["parent_id"] = nil
	o["topic"] = nil
	o["rate_limit_per_user"] = 0
	return o
}

func (s *Server) guildJSONLocked(id string) obj {
	g := s.guilds[id]
	chans := []obj{}
	for _, cid := range g.channels {
		chans = append(chans, s.channelJSONLocked(s.chans[cid]))
	}
	return obj{
		"id":                            g.ID,
		"name":                          g.Name,
		"icon":                          nil,
		"owner_id":                      s.human.ID,
		"unavailable":                   false,
		"large":                         false,
		"member_count":                  2,
		"joined_at":                     timestamp(snowflakeTime(g.ID)),
		"preferred_locale":              guildLocale(g.Guild),
		"roles":                         []any{},
		"emojis":                        []any{},
		"stickers":                      []any{},
		"features":                      []any{},
		"channels":                      chans,
		"threads":                       []any{},
		"members":                       []any{},
		"presences":                     []any{},
		"voice_states":                  []any{},
		"stage_instances":               []any{},
		"guild_scheduled_events":        []any{},
		"system_channel_id":             nil,
		"verification_level":            0,
		"default_message_notifications": 0,
		"explicit_content_filter":       0,
		"mfa_level":                     0,
		"premium_tier":                  0,
		"nsfw_level":                    0,
	}
}

func guildLocale(g Guild) string {
	if g.Locale == "" {
		return "en-US"
	}
	return g.Locale
}

func (s *Server) applicationJSON() obj {
	return obj{
		"id":                     s.app.ID,
		"name":                   s.app.Name,
		"icon":                   nil,
		"description":            "",
		"bot_public":             true,
		"bot_require_code_grant": false,
		"verify_key":             "0000000000000000000000000000000000000000000000000000000000000000",
		"flags":                  0,
		"bot":                    userJSON(s.bot),
		"owner":                  userJSON(s.human),
		"team":                   nil,
		"summary":                "",
	}
}

func rawOrEmpty(r json.RawMessage) any {
	if len(r) == 0 || string(r) == "null" {
		return []any{}
	}
	return r
}
