package discordtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Interaction types.
const (
	InteractionCommand      = 2
	InteractionComponent    = 3
	InteractionAutocomplete = 4
	InteractionModalSubmit  = 5
)

// Interaction callback types.
const (
	CallbackMessage         = 4
	CallbackDeferredMessage = 5
	CallbackDeferredUpdate  = 6
	CallbackUpdateMessage   = 7
	CallbackAutocomplete    = 8
	CallbackModal           = 9
)

// Interaction is an interaction the fake dispatched.
type Interaction struct {
	ID        string
	Token     string
	AppID     string
	Type      int
	GuildID   string // "" in a DM
	ChannelID string
	UserID    string
	MessageID string          // for components: the message that carried it
	Payload   json.RawMessage // the INTERACTION_CREATE data as dispatched
}

// Callback is the accepted response to an interaction.
type Callback struct {
	InteractionID string
	Type          int
	Data          json.RawMessage // the "data" object; nil if none
	Content       string          // data.content
	Flags         int64           // data.flags
	Order         int64           // the callback request's place in the timeline
	Time          time.Time       // when it arrived (real clock)
}

type interaction struct {
	Interaction
	created  time.Time // server clock
	sentAt   time.Time // real clock, when the dispatch was written
	callback *Callback
	original string // message ID of @original
	// delivery is the interaction's POST to the interactions endpoint,
	// when there is one; nil over the gateway.
	delivery *Delivery
}

// Origin is where an interaction comes from and who sends it.
type Origin struct {
	GuildID   string // "" for a DM with the bot
	ChannelID string // "" for the guild's first channel, or the user's DM channel
	User      User   // zero for Human(); new users are added
	// Permissions is the member's permission bitfield in the channel
	// (guild only), sent as a string like Discord does.
	Permissions int64
	// AppPermissions is the bot's permission bitfield in the channel.
	AppPermissions int64
	Locale         string // the user's client locale; "" for en-US
}

// CommandOption is an option of a dispatched slash command.
type CommandOption struct {
	Name string
	// Type is the option type (3 string, 4 integer, 5 boolean, 6 user,
	// 10 number, 1 subcommand, 2 group...). Zero means: as the registered
	// command declares it, else from Value's Go type, else a subcommand.
	Type    int
	Value   any
	Options []CommandOption // of a subcommand or group
	Focused bool            // the option being typed, for autocomplete
}

// Command is a slash command invocation to dispatch.
type Command struct {
	Origin
	Name    string
	Options []CommandOption
}

// Component is a button click or a select menu choice to dispatch.
type Component struct {
	Origin
	CustomID string
	// Values are the chosen values of a select menu; nil means a button.
	Values []string
	// ComponentType overrides the component type (2 button, 3 string
	// select, 5 user select...).
	ComponentType int
	// MessageID is the bot message that carries the component; "" makes a
	// fresh one, recorded with KindIncoming.
	MessageID string
}

// DispatchCommand sends INTERACTION_CREATE for a slash command to the
// session that receives the origin's events.
func (s *Server) DispatchCommand(c Command) Interaction {
	s.t.Helper()
	return s.dispatchCommand(c, InteractionCommand)
}

// DispatchAutocomplete sends an autocomplete INTERACTION_CREATE; mark the
// option being typed with Focused.
func (s *Server) DispatchAutocomplete(c Command) Interaction {
	s.t.Helper()
	return s.dispatchCommand(c, InteractionAutocomplete)
}

func (s *Server) dispatchCommand(c Command, typ int) Interaction {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.resolveOriginLocked(c.Origin)
	if err != nil {
		s.t.Fatalf("discordtest: %v", err)
	}
	cmd := s.findCommandLocked(o.GuildID, c.Name)
	var schema []wireOption
	cmdID := ""
	if cmd != nil {
		schema, cmdID = cmd.Options, cmd.ID
	} else {
		cmdID = s.nextIDLocked()
	}
	data := obj{"id": cmdID, "name": c.Name, "type": 1}
	if len(c.Options) > 0 {
		opts := optionsJSON(c.Options, schema)
		data["options"] = opts
		if resolved := s.resolvedLocked(opts); len(resolved) > 0 {
			data["resolved"] = resolved
		}
	}
	if cmd != nil && cmd.GuildID != "" {
		data["guild_id"] = cmd.GuildID
	}
	return s.dispatchInteractionLocked(typ, o, data, "", nil)
}

// MessageCommand is a message command (a message's Apps menu) to dispatch.
type MessageCommand struct {
	Origin
	Name string
	// Target is the message the command is used on: an existing message
	// of the channel, or "" for a new one by Author with Content.
	Target  string
	Author  User // zero for a new user
	Content string
}

// DispatchMessageCommand sends INTERACTION_CREATE for a message command, as
// Discord does: the target message, content and all, in data.resolved,
// whatever intents the session has.
func (s *Server) DispatchMessageCommand(c MessageCommand) Interaction {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.resolveOriginLocked(c.Origin)
	if err != nil {
		s.t.Fatalf("discordtest: %v", err)
	}
	var m *Message
	if c.Target != "" {
		var ok bool
		if m, ok = s.messages[c.Target]; !ok || m.ChannelID != o.ChannelID {
			s.t.Fatalf("discordtest: DispatchMessageCommand: no message %s in channel %s", c.Target, o.ChannelID)
		}
	} else {
		author := c.Author
		if author.ID == "" || s.users[author.ID] == nil {
			author = s.addUserLocked(author)
		}
		m = &Message{ID: s.nextIDLocked(), ChannelID: o.ChannelID, GuildID: o.GuildID, AuthorID: author.ID, Kind: KindIncoming, Content: c.Content, Created: s.now()}
		s.storeMessageLocked(m)
	}
	cmdID := s.nextIDLocked()
	if cmd := s.findCommandOfTypeLocked(o.GuildID, c.Name, 3); cmd != nil {
		cmdID = cmd.ID
	}
	data := obj{"id": cmdID, "name": c.Name, "type": 3, "target_id": m.ID,
		"resolved": obj{"messages": obj{m.ID: s.messageJSONLocked(m)}}}
	return s.dispatchInteractionLocked(InteractionCommand, o, data, "", nil)
}

// DispatchComponent sends INTERACTION_CREATE for a button click or a select
// menu choice.
func (s *Server) DispatchComponent(c Component) Interaction {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.resolveOriginLocked(c.Origin)
	if err != nil {
		s.t.Fatalf("discordtest: %v", err)
	}
	ctype := c.ComponentType
	if ctype == 0 {
		ctype = 2
		if c.Values != nil {
			ctype = 3
		}
	}
	var m *Message
	if c.MessageID != "" {
		var ok bool
		if m, ok = s.messages[c.MessageID]; !ok {
			s.t.Fatalf("discordtest: DispatchComponent: unknown message %s", c.MessageID)
		}
	} else {
		m = &Message{ID: s.nextIDLocked(), ChannelID: o.ChannelID, GuildID: o.GuildID, AuthorID: s.bot.ID, Kind: KindIncoming, Created: s.now()}
		comp := obj{"type": ctype, "custom_id": c.CustomID}
		if ctype == 2 {
			comp["style"], comp["label"] = 1, "button"
		}
		if ctype == 3 {
			opts := []obj{}
			for _, v := range c.Values {
				opts = append(opts, obj{"label": v, "value": v})
			}
			comp["options"] = opts
		}
		m.Components = mustJSON([]obj{{"type": 1, "components": []obj{comp}}})
		s.storeMessageLocked(m)
	}
	data := obj{"custom_id": c.CustomID, "component_type": ctype}
	if c.Values != nil {
		data["values"] = c.Values
	}
	return s.dispatchInteractionLocked(InteractionComponent, o, data, m.ID, s.messageJSONLocked(m))
}

type origin struct {
	Origin
	channel *Channel
}

func (s *Server) resolveOriginLocked(o Origin) (origin, error) {
	if o.User == (User{}) {
		o.User = s.human
	} else if u, ok := s.users[o.User.ID]; ok && o.User.ID != "" {
		o.User = *u
	} else {
		o.User = s.addUserLocked(o.User)
	}
	if o.Locale == "" {
		o.Locale = "en-US"
	}
	if o.GuildID != "" {
		g, ok := s.guilds[o.GuildID]
		if !ok {
			return origin{}, fmt.Errorf("unknown guild %s", o.GuildID)
		}
		if o.ChannelID == "" {
			if len(g.channels) == 0 {
				return origin{}, fmt.Errorf("guild %s has no channel", o.GuildID)
			}
			o.ChannelID = g.channels[0]
		}
	} else if o.ChannelID == "" {
		o.ChannelID = s.dmChannelLocked(o.User.ID)
	}
	ch, ok := s.chans[o.ChannelID]
	if !ok {
		return origin{}, fmt.Errorf("unknown channel %s", o.ChannelID)
	}
	if ch.GuildID != o.GuildID {
		return origin{}, fmt.Errorf("channel %s is not in guild %q", o.ChannelID, o.GuildID)
	}
	return origin{Origin: o, channel: ch}, nil
}

func (s *Server) dispatchInteractionLocked(typ int, o origin, data obj, messageID string, message obj) Interaction {
	s.t.Helper()
	var sess *session
	if s.endpoint == "" {
		if sess = s.sessionForLocked(o.GuildID); sess == nil {
			s.t.Fatalf("discordtest: no gateway session receives events of guild %q; Open the session first, or set an interactions endpoint", o.GuildID)
		}
	}
	id := s.nextIDLocked()
	in := &interaction{
		Interaction: Interaction{
			ID:        id,
			Token:     "aW50ZXJhY3Rpb246" + id + ":discordtest",
			AppID:     s.app.ID,
			Type:      typ,
			GuildID:   o.GuildID,
			ChannelID: o.ChannelID,
			UserID:    o.User.ID,
			MessageID: messageID,
		},
		created: s.now(),
	}
	p := obj{
		"id":              in.ID,
		"application_id":  s.app.ID,
		"type":            typ,
		"token":           in.Token,
		"version":         1,
		"data":            data,
		"channel_id":      o.ChannelID,
		"channel":         s.channelJSONLocked(o.channel),
		"locale":          o.Locale,
		"app_permissions": strconv.FormatInt(o.AppPermissions, 10),
		"entitlements":    []any{},
	}
	if message != nil {
		p["message"] = message
	}
	if o.GuildID != "" {
		g := s.guilds[o.GuildID]
		p["guild_id"] = o.GuildID
		p["guild_locale"] = guildLocale(g.Guild)
		p["guild"] = obj{"id": o.GuildID, "locale": guildLocale(g.Guild), "features": []any{}}
		p["member"] = obj{
			"user":                         userJSON(o.User),
			"roles":                        []any{},
			"joined_at":                    timestamp(snowflakeTime(o.User.ID)),
			"permissions":                  strconv.FormatInt(o.Permissions, 10),
			"nick":                         nil,
			"avatar":                       nil,
			"premium_since":                nil,
			"deaf":                         false,
			"mute":                         false,
			"flags":                        0,
			"pending":                      false,
			"communication_disabled_until": nil,
		}
		p["context"] = 0
		p["authorizing_integration_owners"] = obj{"0": o.GuildID}
	} else {
		p["user"] = userJSON(o.User)
		p["context"] = 1
		p["authorizing_integration_owners"] = obj{"0": "0"}
	}
	in.Payload = mustJSON(p)
	s.inters[id] = in
	s.iorder = append(s.iorder, id)
	s.byToken[in.Token] = in
	if sess == nil {
		s.deliverLocked(in)
		return in.Interaction
	}
	s.dispatchLocked(sess, "INTERACTION_CREATE", json.RawMessage(in.Payload), func(t time.Time) {
		if in.sentAt.IsZero() {
			in.sentAt = t
		}
	})
	return in.Interaction
}

func (s *Server) findCommandLocked(guildID, name string) *command {
	return s.findCommandOfTypeLocked(guildID, name, 1)
}

func (s *Server) findCommandOfTypeLocked(guildID, name string, typ int) *command {
	scopes := []string{""}
	if guildID != "" {
		scopes = []string{guildID, ""}
	}
	for _, scope := range scopes {
		for _, c := range s.commands[scope] {
			if c.Name == name && c.typ() == typ {
				return c
			}
		}
	}
	return nil
}

// resolvedLocked is the "resolved" object of a command's options: the
// roles and channels they name, as Discord sends them along.
func (s *Server) resolvedLocked(opts []obj) obj {
	roles, chans := obj{}, obj{}
	var walk func([]obj)
	walk = func(opts []obj) {
		for _, o := range opts {
			id, _ := o["value"].(string)
			switch o["type"] {
			case 1, 2:
				if sub, ok := o["options"].([]obj); ok {
					walk(sub)
				}
			case 8:
				if r, ok := s.roles[id]; ok {
					roles[id] = roleJSON(*r)
				}
			case 7:
				if c, ok := s.chans[id]; ok {
					chans[id] = obj{"id": c.ID, "name": c.Name, "type": c.Type, "permissions": strconv.FormatInt(BasicPermissions, 10)}
				}
			}
		}
	}
	walk(opts)
	out := obj{}
	if len(roles) > 0 {
		out["roles"] = roles
	}
	if len(chans) > 0 {
		out["channels"] = chans
	}
	return out
}

func optionsJSON(opts []CommandOption, schema []wireOption) []obj {
	out := []obj{}
	for _, o := range opts {
		var sub []wireOption
		typ := o.Type
		for _, w := range schema {
			if w.Name == o.Name {
				sub = w.Options
				if typ == 0 {
					typ = w.Type
				}
			}
		}
		if typ == 0 {
			switch o.Value.(type) {
			case string:
				typ = 3
			case int, int32, int64, uint, uint32, uint64:
				typ = 4
			case bool:
				typ = 5
			case float32, float64:
				typ = 10
			case nil:
				typ = 1
			}
		}
		j := obj{"name": o.Name, "type": typ}
		if typ == 1 || typ == 2 {
			j["options"] = optionsJSON(o.Options, sub)
		} else {
			j["value"] = o.Value
		}
		if o.Focused {
			j["focused"] = true
		}
		out = append(out, j)
	}
	return out
}

// Interaction returns what the fake knows of an interaction.
func (s *Server) Interaction(id string) (Interaction, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.inters[id]
	if !ok {
		return Interaction{}, false
	}
	return in.Interaction, true
}

// Callback returns the accepted callback of an interaction, if any.
func (s *Server) Callback(interactionID string) (Callback, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.inters[interactionID]
	if !ok || in.callback == nil {
		return Callback{}, false
	}
	return *in.callback, true
}

// WaitCallback waits until an interaction is acknowledged and returns the
// accepted callback.
func (s *Server) WaitCallback(ctx context.Context, interactionID string) (Callback, error) {
	var got Callback
	err := s.wait(ctx, func() bool {
		in, ok := s.inters[interactionID]
		if ok && in.callback != nil {
			got = *in.callback
			return true
		}
		return false
	})
	return got, err
}

// Original returns an interaction's original response message, if any.
func (s *Server) Original(interactionID string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.inters[interactionID]
	if !ok || in.original == "" {
		return Message{}, false
	}
	return *s.messages[in.original], true
}

// WaitOriginal waits until an interaction's original response satisfies
// match (for example: edited, no longer loading) and returns it.
func (s *Server) WaitOriginal(ctx context.Context, interactionID string, match func(Message) bool) (Message, error) {
	var got Message
	err := s.wait(ctx, func() bool {
		in, ok := s.inters[interactionID]
		if !ok || in.original == "" {
			return false
		}
		got = *s.messages[in.original]
		return match(got)
	})
	return got, err
}

// Followups returns an interaction's follow-up messages, oldest first.
func (s *Server) Followups(interactionID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, id := range s.morder {
		if m := s.messages[id]; m.InteractionID == interactionID && m.Kind == KindFollowup {
			out = append(out, *m)
		}
	}
	return out
}

// InteractionRequests returns, in order, every REST request about an
// interaction: callbacks (accepted or not) and webhook calls with its
// token (edits, follow-ups, deletes).
func (s *Server) InteractionRequests(interactionID string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.inters[interactionID]
	if !ok {
		return nil
	}
	var out []Request
	for _, r := range s.requests {
		if strings.HasPrefix(r.Path, "/interactions/"+in.ID+"/") || strings.HasPrefix(r.Path+"/", "/webhooks/"+in.AppID+"/"+in.Token+"/") {
			out = append(out, *r)
		}
	}
	return out
}

// Latency is the real time from writing an interaction's dispatch to the
// socket to receiving its accepted callback.
func (s *Server) Latency(interactionID string) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.inters[interactionID]
	if !ok || in.callback == nil || in.sentAt.IsZero() {
		return 0, false
	}
	return in.callback.Time.Sub(in.sentAt), true
}

type recKey struct{}

func requestRecord(r *http.Request) *Request {
	rec, _ := r.Context().Value(recKey{}).(*Request)
	return rec
}

// allowedCallbacks lists the callback types each interaction type accepts.
var allowedCallbacks = map[int][]int{
	InteractionCommand:      {CallbackMessage, CallbackDeferredMessage, CallbackModal},
	InteractionComponent:    {CallbackMessage, CallbackDeferredMessage, CallbackDeferredUpdate, CallbackUpdateMessage, CallbackModal},
	InteractionAutocomplete: {CallbackAutocomplete},
	InteractionModalSubmit:  {CallbackMessage, CallbackDeferredMessage, CallbackDeferredUpdate, CallbackUpdateMessage},
}

func (s *Server) callback(r *http.Request, body []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.inters[r.PathValue("id")]
	if !ok || in.Token != r.PathValue("token") {
		return 0, errUnknown(codeUnknownInteraction, "interaction")
	}
	var order int64
	var at time.Time
	if rec := requestRecord(r); rec != nil {
		order, at = rec.Order, rec.Time
	}
	if err := s.acceptCallbackLocked(in, body, order, at); err != nil {
		return 0, err
	}
	return http.StatusNoContent, nil
}

// acceptCallbackLocked takes body as an interaction's one response, as
// Discord would, or says why not. order and at place it in the timeline.
func (s *Server) acceptCallbackLocked(in *interaction, body []byte, order int64, at time.Time) *apiError {
	var p struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return errBadRequest(codeInvalidFormBody, messageInvalidFormBody)
	}
	if in.callback != nil {
		return errBadRequest(codeAlreadyAcknowledged, messageAlreadyAcked)
	}
	if s.now().Sub(in.created) > s.cfg.interactionWindow {
		return errUnknown(codeUnknownInteraction, "interaction")
	}
	valid := false
	for _, t := range allowedCallbacks[in.Type] {
		valid = valid || t == p.Type
	}
	if !valid {
		var fe formErrors
		fe.add([]string{"type"}, "INTERACTION_CALLBACK_TYPE_INVALID", fmt.Sprintf("Interaction callback type %d is not valid for this interaction.", p.Type))
		return fe.err()
	}

	cb := &Callback{InteractionID: in.ID, Type: p.Type}
	if nonEmpty(p.Data) {
		cb.Data = p.Data
		var d struct {
			Content string `json:"content"`
			Flags   int64  `json:"flags"`
		}
		json.Unmarshal(p.Data, &d)
		cb.Content, cb.Flags = d.Content, d.Flags
	}
	ch := s.chans[in.ChannelID]
	switch p.Type {
	case CallbackMessage:
		b, err := parseMessageBody(p.Data, true)
		if err != nil {
			return withPrefix(err, "data")
		}
		m := s.newMessageLocked(ch, KindOriginal, in.ID, b)
		m.Flags &= FlagEphemeral | 1<<2 | 1<<12
		in.original = m.ID
	case CallbackDeferredMessage:
		m := s.newMessageLocked(ch, KindOriginal, in.ID, nil)
		m.Flags = FlagLoading | cb.Flags&FlagEphemeral
		in.original = m.ID
	case CallbackDeferredUpdate:
		in.original = in.MessageID
	case CallbackUpdateMessage:
		b, err := parseMessageBody(p.Data, false)
		if err != nil {
			return withPrefix(err, "data")
		}
		m := s.messages[in.MessageID]
		applyBody(m, b)
		m.Edits++
		in.original = m.ID
	case CallbackAutocomplete:
		if err := validateChoices(p.Data); err != nil {
			return err
		}
	case CallbackModal:
		var d struct {
			CustomID   string          `json:"custom_id"`
			Title      string          `json:"title"`
			Components json.RawMessage `json:"components"`
		}
		json.Unmarshal(p.Data, &d)
		var fe formErrors
		if d.CustomID == "" || len(d.CustomID) > 100 {
			fe.add([]string{"data", "custom_id"}, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
		}
		if d.Title == "" || utf8.RuneCountInString(d.Title) > 45 {
			fe.add([]string{"data", "title"}, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.")
		}
		if err := fe.err(); err != nil {
			return err
		}
	}
	cb.Order, cb.Time = order, at
	in.callback = cb
	s.notifyLocked()
	return nil
}

func withPrefix(e *apiError, field string) *apiError {
	if e.Errors != nil {
		e.Errors = map[string]any{field: e.Errors}
	}
	return e
}

func validateChoices(data json.RawMessage) *apiError {
	var d struct {
		Choices []struct {
			Name  string `json:"name"`
			Value any    `json:"value"`
		} `json:"choices"`
	}
	var fe formErrors
	if json.Unmarshal(data, &d) != nil {
		fe.add([]string{"data"}, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
		return fe.err()
	}
	if len(d.Choices) > 25 {
		fe.add([]string{"data", "choices"}, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
	}
	for i, c := range d.Choices {
		p := []string{"data", "choices", strconv.Itoa(i)}
		if n := utf8.RuneCountInString(c.Name); n < 1 || n > 100 {
			fe.add(at(p, "name"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
		}
		if v, ok := c.Value.(string); ok && utf8.RuneCountInString(v) > 100 {
			fe.add(at(p, "value"), "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
		}
	}
	return fe.err()
}

// webhookLocked finds the acknowledged interaction behind an interaction
// webhook (application ID and interaction token).
func (s *Server) webhookLocked(r *http.Request) (*interaction, *apiError) {
	in, ok := s.byToken[r.PathValue("token")]
	if !ok || r.PathValue("app") != s.app.ID {
		return nil, errUnknown(codeUnknownWebhook, "Webhook")
	}
	if s.now().Sub(in.created) > interactionTokenLifetime {
		return nil, &apiError{Status: http.StatusUnauthorized, Code: codeInvalidWebhookToken, Message: "Invalid Webhook Token"}
	}
	if in.callback == nil {
		return nil, errUnknown(codeUnknownWebhook, "Webhook")
	}
	return in, nil
}

// webhookMessageLocked finds @original or a follow-up of the interaction.
func (s *Server) webhookMessageLocked(in *interaction, id string) (*Message, *apiError) {
	if id == "@original" {
		id = in.original
	}
	m, ok := s.messages[id]
	if !ok || m.Deleted || (m.InteractionID != in.ID && id != in.MessageID) {
		return nil, errUnknown(codeUnknownMessage, "Message")
	}
	return m, nil
}

func (s *Server) followup(r *http.Request, body []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.webhookLocked(r)
	if err != nil {
		return 0, err
	}
	b, err := parseMessageBody(body, true)
	if err != nil {
		return 0, err
	}
	m := s.newMessageLocked(s.chans[in.ChannelID], KindFollowup, in.ID, b)
	// Interaction webhooks always answer with the message, whatever ?wait says.
	return http.StatusOK, s.messageJSONLocked(m)
}

func (s *Server) getWebhookMessage(r *http.Request, _ []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.webhookLocked(r)
	if err != nil {
		return 0, err
	}
	m, err := s.webhookMessageLocked(in, r.PathValue("msg"))
	if err != nil {
		return 0, err
	}
	return http.StatusOK, s.messageJSONLocked(m)
}

func (s *Server) editWebhookMessage(r *http.Request, body []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.webhookLocked(r)
	if err != nil {
		return 0, err
	}
	m, err := s.webhookMessageLocked(in, r.PathValue("msg"))
	if err != nil {
		return 0, err
	}
	b, err := parseMessageBody(body, false)
	if err != nil {
		return 0, err
	}
	// The first edit of a deferred response replaces the "thinking"
	// placeholder; whether it is ephemeral was fixed by the deferral.
	loading, eph := m.Flags&FlagLoading != 0, m.Flags&FlagEphemeral
	applyBody(m, b)
	if loading {
		m.Flags = m.Flags&^FlagEphemeral | eph
	}
	m.Flags &^= FlagLoading
	m.Edits++
	s.notifyLocked()
	return http.StatusOK, s.messageJSONLocked(m)
}

func (s *Server) deleteWebhookMessage(r *http.Request, _ []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.webhookLocked(r)
	if err != nil {
		return 0, err
	}
	m, err := s.webhookMessageLocked(in, r.PathValue("msg"))
	if err != nil {
		return 0, err
	}
	m.Deleted = true
	s.notifyLocked()
	return http.StatusNoContent, nil
}
