package discordtest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"
)

// MessageKind tells how a message came to be.
type MessageKind int

const (
	// KindChannel is a message the bot posted to a channel.
	KindChannel MessageKind = iota + 1
	// KindOriginal is an interaction's original response.
	KindOriginal
	// KindFollowup is an interaction follow-up.
	KindFollowup
	// KindIncoming is a message a test dispatched with DispatchMessage.
	KindIncoming
)

// Message is a message as the fake stores it.
type Message struct {
	ID            string
	ChannelID     string
	GuildID       string
	AuthorID      string
	Kind          MessageKind
	InteractionID string // for originals and follow-ups
	Content       string
	Flags         int64
	Embeds        json.RawMessage // as last sent; nil if none
	Components    json.RawMessage // as last sent; nil if none
	Nonce         string
	// AllowedMentions is the allowed_mentions the bot sent with the
	// message, as sent; nil if none.
	AllowedMentions json.RawMessage
	// Crossposts counts the crossposts that took effect: 0 or 1.
	Crossposts int
	Edits      int
	Deleted    bool
	Created    time.Time // server clock
}

type nonceEntry struct {
	messageID string
	at        time.Time
}

// Message flags the fake interprets.
const (
	FlagCrossposted = 1 << 0
	FlagEphemeral   = 1 << 6
	FlagLoading     = 1 << 7
)

// Messages returns the messages in a channel, oldest first, deleted ones
// included.
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.messagesLocked(channelID)
}

func (s *Server) messagesLocked(channelID string) []Message {
	var out []Message
	for _, id := range s.morder {
		if m := s.messages[id]; m.ChannelID == channelID {
			out = append(out, *m)
		}
	}
	return out
}

// WaitMessage waits for the first message the bot creates in a channel
// (posted, an interaction response or a follow-up) and returns it.
func (s *Server) WaitMessage(ctx context.Context, channelID string) (Message, error) {
	msgs, err := s.WaitMessages(ctx, channelID, 1)
	if err != nil {
		return Message{}, err
	}
	return msgs[0], nil
}

// WaitMessages waits until the bot has created at least n messages in a
// channel and returns them all, oldest first.
func (s *Server) WaitMessages(ctx context.Context, channelID string, n int) ([]Message, error) {
	var got []Message
	err := s.wait(ctx, func() bool {
		got = got[:0]
		for _, m := range s.messagesLocked(channelID) {
			if m.Kind != KindIncoming {
				got = append(got, m)
			}
		}
		return len(got) >= n
	})
	return got, err
}

// messageBody is what the bot sends to create or edit a message.
type messageBody struct {
	Content         *string         `json:"content"`
	Embeds          json.RawMessage `json:"embeds"`
	Components      json.RawMessage `json:"components"`
	AllowedMentions json.RawMessage `json:"allowed_mentions"`
	Flags           *int64          `json:"flags"`
	Nonce           json.RawMessage `json:"nonce"`
	EnforceNonce    bool            `json:"enforce_nonce"`
	Attachments     json.RawMessage `json:"attachments"`
	StickerIDs      json.RawMessage `json:"sticker_ids"`
	Poll            json.RawMessage `json:"poll"`
}

func present(r json.RawMessage) bool { return r != nil }

func nonEmpty(r json.RawMessage) bool {
	t := bytes.TrimSpace(r)
	return len(t) > 0 && string(t) != "null" && string(t) != "[]" && string(t) != "{}"
}

// parseMessageBody decodes and checks a message payload against Discord's
// limits; create also refuses an empty message.
func parseMessageBody(body []byte, create bool) (*messageBody, *apiError) {
	var m messageBody
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, errBadRequest(codeInvalidFormBody, messageInvalidFormBody)
	}
	var fe formErrors
	validateMessage(&fe, nil, &m)
	if err := fe.err(); err != nil {
		return nil, err
	}
	if create && (m.Content == nil || *m.Content == "") && !nonEmpty(m.Embeds) && !nonEmpty(m.Components) &&
		!nonEmpty(m.Attachments) && !nonEmpty(m.StickerIDs) && !nonEmpty(m.Poll) {
		return nil, errBadRequest(codeEmptyMessage, "Cannot send an empty message")
	}
	return &m, nil
}

func validateMessage(fe *formErrors, path []string, m *messageBody) {
	if m.Content != nil && utf8.RuneCountInString(*m.Content) > 2000 {
		fe.add(at(path, "content"), "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
	}
	if nonEmpty(m.Embeds) {
		validateEmbeds(fe, at(path, "embeds"), m.Embeds)
	}
	if nonEmpty(m.Components) {
		validateComponents(fe, at(path, "components"), m.Components)
	}
	if nonEmpty(m.AllowedMentions) {
		validateAllowedMentions(fe, at(path, "allowed_mentions"), m.AllowedMentions)
	}
	if nonEmpty(m.Nonce) {
		var str string
		var num json.Number
		if json.Unmarshal(m.Nonce, &str) == nil {
			if len(str) > 25 {
				fe.add(at(path, "nonce"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
			}
		} else if json.Unmarshal(m.Nonce, &num) != nil {
			fe.add(at(path, "nonce"), "NONCE_TYPE_INVALID", "Nonce must be a string or an integer.")
		}
	}
}

func validateEmbeds(fe *formErrors, path []string, raw json.RawMessage) {
	var embeds []struct {
		Title       string `json:"title"`
		URL         string `json:"url"`
		Description string `json:"description"`
		Fields      []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"fields"`
		Footer *struct {
			Text string `json:"text"`
		} `json:"footer"`
		Author *struct {
			Name string `json:"name"`
		} `json:"author"`
	}
	if json.Unmarshal(raw, &embeds) != nil {
		fe.add(path, "BASE_TYPE_ARRAY", "Must be an array.")
		return
	}
	if len(embeds) > 10 {
		fe.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
	}
	total := 0
	length := func(p []string, s string, limit int) {
		n := utf8.RuneCountInString(s)
		total += n
		if n > limit {
			fe.add(p, "BASE_TYPE_MAX_LENGTH", "Must be "+strconv.Itoa(limit)+" or fewer in length.")
		}
	}
	for i, e := range embeds {
		p := at(path, strconv.Itoa(i))
		length(at(p, "title"), e.Title, 256)
		if e.URL != "" {
			if u, err := url.Parse(e.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				fe.add(at(p, "url"), "URL_TYPE_INVALID_URL", "Not a well formed URL.")
			}
		}
		length(at(p, "description"), e.Description, 4096)
		if len(e.Fields) > 25 {
			fe.add(at(p, "fields"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
		}
		for j, f := range e.Fields {
			fp := at(p, "fields", strconv.Itoa(j))
			if f.Name == "" {
				fe.add(at(fp, "name"), "BASE_TYPE_REQUIRED", "This field is required")
			}
			if f.Value == "" {
				fe.add(at(fp, "value"), "BASE_TYPE_REQUIRED", "This field is required")
			}
			length(at(fp, "name"), f.Name, 256)
			length(at(fp, "value"), f.Value, 1024)
		}
		if e.Footer != nil {
			length(at(p, "footer", "text"), e.Footer.Text, 2048)
		}
		if e.Author != nil {
			length(at(p, "author", "name"), e.Author.Name, 256)
		}
	}
	if total > 6000 {
		fe.add(path, "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
	}
}

func validateComponents(fe *formErrors, path []string, raw json.RawMessage) {
	type component struct {
		Type     int               `json:"type"`
		CustomID string            `json:"custom_id"`
		Label    string            `json:"label"`
		Style    int               `json:"style"`
		URL      string            `json:"url"`
		Options  []json.RawMessage `json:"options"`
	}
	var rows []struct {
		Type       int         `json:"type"`
		Components []component `json:"components"`
	}
	if json.Unmarshal(raw, &rows) != nil {
		fe.add(path, "BASE_TYPE_ARRAY", "Must be an array.")
		return
	}
	if len(rows) > 5 {
		fe.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
	}
	seen := map[string]bool{}
	for i, row := range rows {
		rp := at(path, strconv.Itoa(i))
		if row.Type != 1 {
			fe.add(at(rp, "type"), "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (1,).")
			continue
		}
		if len(row.Components) < 1 || len(row.Components) > 5 {
			fe.add(at(rp, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
		}
		for j, c := range row.Components {
			cp := at(rp, "components", strconv.Itoa(j))
			link := c.Type == 2 && c.Style == 5
			switch {
			case link && c.URL == "":
				fe.add(at(cp, "url"), "BASE_TYPE_REQUIRED", "This field is required")
			case !link && (c.CustomID == "" || len(c.CustomID) > 100):
				fe.add(at(cp, "custom_id"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
			case !link && seen[c.CustomID]:
				fe.add(at(cp, "custom_id"), "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
			}
			seen[c.CustomID] = true
			if c.Type == 2 && utf8.RuneCountInString(c.Label) > 80 {
				fe.add(at(cp, "label"), "BASE_TYPE_MAX_LENGTH", "Must be 80 or fewer in length.")
			}
			if c.Type == 3 && (len(c.Options) < 1 || len(c.Options) > 25) {
				fe.add(at(cp, "options"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.")
			}
		}
	}
}

func validateAllowedMentions(fe *formErrors, path []string, raw json.RawMessage) {
	var am struct {
		Parse []string `json:"parse"`
		Users []string `json:"users"`
		Roles []string `json:"roles"`
	}
	if json.Unmarshal(raw, &am) != nil {
		fe.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
		return
	}
	for i, p := range am.Parse {
		switch p {
		case "roles", "users", "everyone":
		default:
			fe.add(at(path, "parse", strconv.Itoa(i)), "BASE_TYPE_CHOICES", "Value must be one of {'roles', 'users', 'everyone'}.")
		}
		if (p == "users" && len(am.Users) > 0) || (p == "roles" && len(am.Roles) > 0) {
			fe.add(path, "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", "parse:["+p+"] and "+p+": [ids...] are mutually exclusive.")
		}
	}
}

// newMessageLocked stores a message the bot created from a checked body.
func (s *Server) newMessageLocked(ch *Channel, kind MessageKind, interactionID string, b *messageBody) *Message {
	m := &Message{
		ID:            s.nextIDLocked(),
		ChannelID:     ch.ID,
		GuildID:       ch.GuildID,
		AuthorID:      s.bot.ID,
		Kind:          kind,
		InteractionID: interactionID,
		Created:       s.now(),
	}
	if b != nil {
		applyBody(m, b)
	}
	s.storeMessageLocked(m)
	return m
}

func (s *Server) storeMessageLocked(m *Message) {
	s.messages[m.ID] = m
	s.morder = append(s.morder, m.ID)
	s.notifyLocked()
}

// applyBody sets the fields present in b.
func applyBody(m *Message, b *messageBody) {
	if b.Content != nil {
		m.Content = *b.Content
	}
	if present(b.Embeds) {
		m.Embeds = b.Embeds
	}
	if present(b.Components) {
		m.Components = b.Components
	}
	if b.Flags != nil {
		m.Flags = *b.Flags
	}
	if present(b.AllowedMentions) {
		m.AllowedMentions = b.AllowedMentions
	}
}

func (s *Server) messageJSONLocked(m *Message) obj {
	o := obj{
		"id":               m.ID,
		"channel_id":       m.ChannelID,
		"author":           userJSON(s.userLocked(m.AuthorID)),
		"content":          m.Content,
		"timestamp":        timestamp(m.Created),
		"edited_timestamp": nil,
		"tts":              false,
		"mention_everyone": false,
		"mentions":         []any{},
		"mention_roles":    []any{},
		"attachments":      []any{},
		"embeds":           rawOrEmpty(m.Embeds),
		"components":       rawOrEmpty(m.Components),
		"pinned":           false,
		"type":             0,
		"flags":            m.Flags,
	}
	if m.GuildID != "" {
		o["guild_id"] = m.GuildID
	}
	if m.Edits > 0 {
		o["edited_timestamp"] = timestamp(m.Created)
	}
	if m.Nonce != "" {
		o["nonce"] = m.Nonce
	}
	if in, ok := s.inters[m.InteractionID]; ok {
		o["webhook_id"] = s.app.ID
		o["application_id"] = s.app.ID
		o["type"] = 20
		o["interaction_metadata"] = obj{"id": in.ID, "type": in.Type, "user": userJSON(s.userLocked(in.UserID))}
	}
	return o
}

func (s *Server) createMessage(r *http.Request, body []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := s.channelLocked(r.PathValue("channel"))
	if err != nil {
		return 0, err
	}
	if ch.Access == AccessNoSend {
		return 0, errForbidden(codeMissingPermissions, "Missing Permissions")
	}
	if ch.Type == ChannelTypeDM {
		if u, ok := s.users[ch.RecipientID]; !ok || u.DMsClosed || u.Bot {
			return 0, errForbidden(codeCannotMessageUser, "Cannot send messages to this user")
		}
	}
	b, err := parseMessageBody(body, true)
	if err != nil {
		return 0, err
	}
	nonce := ""
	if nonEmpty(b.Nonce) {
		var str string
		if json.Unmarshal(b.Nonce, &str) != nil {
			str = string(b.Nonce)
		}
		nonce = str
	}
	key := s.bot.ID + "\x00" + nonce
	if nonce != "" && b.EnforceNonce {
		if e, ok := s.nonces[key]; ok && s.now().Sub(e.at) < s.cfg.nonceWindow {
			if m, ok := s.messages[e.messageID]; ok {
				return http.StatusOK, s.messageJSONLocked(m)
			}
		}
	}
	m := s.newMessageLocked(ch, KindChannel, "", b)
	m.Nonce = nonce
	if nonce != "" {
		s.nonces[key] = nonceEntry{messageID: m.ID, at: m.Created}
	}
	return http.StatusOK, s.messageJSONLocked(m)
}

// crosspost publishes a message of an announcement channel to the
// channels that follow it, as Discord does: only there, and only once. The
// fake models no Manage Messages, so only the bot's own messages can be
// published, and only where it may send.
func (s *Server) crosspost(r *http.Request, _ []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := s.channelLocked(r.PathValue("channel"))
	if err != nil {
		return 0, err
	}
	m, ok := s.messages[r.PathValue("msg")]
	if !ok || m.Deleted || m.ChannelID != ch.ID {
		return 0, errUnknown(codeUnknownMessage, "Message")
	}
	switch {
	case ch.Type != ChannelTypeAnnouncement:
		return 0, errBadRequest(codeWrongChannelType, "Cannot execute action on this channel type")
	case ch.Access == AccessNoSend || m.AuthorID != s.bot.ID:
		return 0, errForbidden(codeMissingPermissions, "Missing Permissions")
	case m.Flags&FlagCrossposted != 0:
		return 0, errBadRequest(codeAlreadyCrossposted, "This message has already been crossposted.")
	}
	m.Flags |= FlagCrossposted
	m.Crossposts++
	s.notifyLocked()
	return http.StatusOK, s.messageJSONLocked(m)
}

func (s *Server) getMessage(r *http.Request, _ []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := s.channelLocked(r.PathValue("channel"))
	if err != nil {
		return 0, err
	}
	m, ok := s.messages[r.PathValue("msg")]
	if !ok || m.Deleted || m.ChannelID != ch.ID || m.Flags&FlagEphemeral != 0 {
		return 0, errUnknown(codeUnknownMessage, "Message")
	}
	return http.StatusOK, s.messageJSONLocked(m)
}

// Incoming is a message someone posts, to dispatch as MESSAGE_CREATE.
type Incoming struct {
	GuildID   string // "" for a DM
	ChannelID string // "" for the guild's first channel, or the author's DM channel
	Author    User   // zero for Human(); Bot() for the bot's own message; new users are added
	Content   string
	Mentions  []User
}

// DispatchMessage stores a message and sends MESSAGE_CREATE for it to the
// session that receives the channel's events, as Discord would: only with
// the GUILD_MESSAGES or DIRECT_MESSAGES intent, and in a guild with empty
// content (and embeds, components) unless the session has MESSAGE_CONTENT,
// the bot wrote it or is mentioned. It reports whether it was dispatched.
func (s *Server) DispatchMessage(in Incoming) (Message, bool) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	author := in.Author
	switch {
	case author == User{}:
		author = s.human
	case author.ID == "" || s.users[author.ID] == nil:
		author = s.addUserLocked(author)
	default:
		author = *s.users[author.ID]
	}
	chID := in.ChannelID
	if chID == "" {
		if in.GuildID != "" {
			g, ok := s.guilds[in.GuildID]
			if !ok || len(g.channels) == 0 {
				s.t.Fatalf("discordtest: DispatchMessage: unknown guild %s or no channel", in.GuildID)
			}
			chID = g.channels[0]
		} else if author.ID == s.bot.ID {
			s.t.Fatalf("discordtest: DispatchMessage: a DM from the bot needs a ChannelID")
		} else {
			chID = s.dmChannelLocked(author.ID)
		}
	}
	ch, ok := s.chans[chID]
	if !ok || ch.GuildID != in.GuildID {
		s.t.Fatalf("discordtest: DispatchMessage: channel %s is not in guild %q", chID, in.GuildID)
	}
	m := &Message{ID: s.nextIDLocked(), ChannelID: ch.ID, GuildID: ch.GuildID, AuthorID: author.ID, Kind: KindIncoming, Content: in.Content, Created: s.now()}
	s.storeMessageLocked(m)

	sess := s.sessionForLocked(ch.GuildID)
	if sess == nil {
		return *m, false
	}
	need := int64(intentDirectMessages)
	if ch.GuildID != "" {
		need = intentGuildMessages
	}
	if sess.intents&need == 0 {
		return *m, false
	}
	j := s.messageJSONLocked(m)
	j["author"] = userJSON(author)
	mentions := []obj{}
	mentioned := false
	for _, u := range in.Mentions {
		mentions = append(mentions, userJSON(u))
		mentioned = mentioned || u.ID == s.bot.ID
	}
	j["mentions"] = mentions
	if ch.GuildID != "" {
		j["member"] = obj{"roles": []any{}, "joined_at": timestamp(snowflakeTime(author.ID)), "deaf": false, "mute": false, "flags": 0, "pending": false}
		if sess.intents&IntentMessageContent == 0 && author.ID != s.bot.ID && !mentioned {
			j["content"], j["embeds"], j["components"], j["attachments"] = "", []any{}, []any{}, []any{}
		}
	}
	s.dispatchLocked(sess, "MESSAGE_CREATE", j, nil)
	return *m, true
}
