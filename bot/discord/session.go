package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"time"
	"unsafe"

	"github.com/bwmarrin/discordgo"
)

// Session is every call the adapter makes to Discord: the REST calls that
// register commands, answer interactions and post messages, and the
// gateway connections that bring events in. Nothing else in the package
// calls discordgo, so a test can put a recorder in its place and see what
// would be sent. The real one, made by NewClient, wraps a
// *discordgo.Session.
type Session interface {
	// Application returns the bot's own application: the call that
	// checks the token.
	Application(ctx context.Context) (*discordgo.Application, error)
	// ApplicationCommands lists the registered commands, globally or in
	// one guild.
	ApplicationCommands(ctx context.Context, appID, guildID string) ([]*discordgo.ApplicationCommand, error)
	// ApplicationCommandBulkOverwrite replaces them all with cmds, and
	// returns them as Discord has them now, with their ids.
	ApplicationCommandBulkOverwrite(ctx context.Context, appID, guildID string, cmds []*discordgo.ApplicationCommand) ([]*discordgo.ApplicationCommand, error)

	// InteractionRespond sends an interaction's one callback.
	InteractionRespond(ctx context.Context, i *discordgo.Interaction, r *discordgo.InteractionResponse) error
	// InteractionChoices is the callback of an autocomplete. Unlike
	// InteractionRespond it sends an empty list as "choices":[], which
	// Discord wants present.
	InteractionChoices(ctx context.Context, i *discordgo.Interaction, choices []*discordgo.ApplicationCommandOptionChoice) error
	// InteractionResponseEdit edits the interaction's original response.
	InteractionResponseEdit(ctx context.Context, i *discordgo.Interaction, e *discordgo.WebhookEdit) error
	// InteractionResponseDelete deletes it.
	InteractionResponseDelete(ctx context.Context, i *discordgo.Interaction) error
	// FollowupMessageCreate sends a follow-up message. With wait, Discord
	// answers with the message, which FollowupMessageEdit needs;
	// without, the message returned is nil.
	FollowupMessageCreate(ctx context.Context, i *discordgo.Interaction, wait bool, p *discordgo.WebhookParams) (*discordgo.Message, error)
	// FollowupMessageEdit edits a follow-up message.
	FollowupMessageEdit(ctx context.Context, i *discordgo.Interaction, messageID string, e *discordgo.WebhookEdit) error

	// ChannelMessageSendComplex sends a message in a channel: the answer
	// to a direct message.
	ChannelMessageSendComplex(ctx context.Context, channelID string, m *discordgo.MessageSend) (*discordgo.Message, error)
	// ChannelMessageEditComplex edits a message the bot sent.
	ChannelMessageEditComplex(ctx context.Context, e *discordgo.MessageEdit) error
	// ChannelMessagePost posts a message of the bot's own accord, with
	// nonce, if set, enforced. With retry, a 429 is waited out;
	// without, it is returned at once.
	ChannelMessagePost(ctx context.Context, channelID string, m *discordgo.MessageSend, nonce string, retry bool) (*discordgo.Message, error)
	// UserChannelCreate opens the DM channel with a user, retrying a 429
	// as ChannelMessagePost does.
	UserChannelCreate(ctx context.Context, userID string, retry bool) (*discordgo.Channel, error)
	// Channel returns a channel the bot can see.
	Channel(ctx context.Context, channelID string) (*discordgo.Channel, error)
	// ChannelMessageCrosspost publishes a message of an announcement
	// channel to the channels that follow it. A 429 comes back at once:
	// Discord allows a few publishes an hour in a channel.
	ChannelMessageCrosspost(ctx context.Context, channelID, messageID string) error

	// Connect returns a new gateway connection, not yet open, for one
	// shard (shardCount 0 or 1: unsharded). It passes each event it
	// receives — *discordgo.Ready, *discordgo.Resumed,
	// *discordgo.Disconnect, *discordgo.InteractionCreate and
	// *discordgo.MessageCreate — to handle, each in a goroutine of its own.
	Connect(shardID, shardCount int, handle func(event any)) Connection
}

// Connection is one gateway session.
type Connection interface {
	// Open connects: it identifies the first time, and after a lost
	// connection resumes the session.
	Open() error
	// Close ends the session.
	Close() error
}

// session is the real Session.
type session struct{ s *discordgo.Session }

var _ Session = session{}

func (s session) Application(ctx context.Context) (*discordgo.Application, error) {
	endpoint := discordgo.EndpointApplication("@me")
	body, err := s.s.RequestWithBucketID("GET", endpoint, nil, endpoint, discordgo.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	var app discordgo.Application
	if err := json.Unmarshal(body, &app); err != nil {
		return nil, err
	}
	return &app, nil
}

func (s session) ApplicationCommands(ctx context.Context, appID, guildID string) ([]*discordgo.ApplicationCommand, error) {
	return s.s.ApplicationCommands(appID, guildID, discordgo.WithContext(ctx))
}

func (s session) ApplicationCommandBulkOverwrite(ctx context.Context, appID, guildID string, cmds []*discordgo.ApplicationCommand) ([]*discordgo.ApplicationCommand, error) {
	return s.s.ApplicationCommandBulkOverwrite(appID, guildID, cmds, discordgo.WithContext(ctx))
}

func (s session) InteractionRespond(ctx context.Context, i *discordgo.Interaction, r *discordgo.InteractionResponse) error {
	return s.s.InteractionRespond(i, r, discordgo.WithContext(ctx))
}

func (s session) InteractionChoices(ctx context.Context, i *discordgo.Interaction, choices []*discordgo.ApplicationCommandOptionChoice) error {
	// discordgo omits an empty choices list.
	body := struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data struct {
			Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
		} `json:"data"`
	}{Type: discordgo.InteractionApplicationCommandAutocompleteResult}
	body.Data.Choices = choices
	endpoint := discordgo.EndpointInteractionResponse(i.ID, i.Token)
	_, err := s.s.RequestWithBucketID("POST", endpoint, body, endpoint, discordgo.WithContext(ctx))
	return err
}

func (s session) InteractionResponseEdit(ctx context.Context, i *discordgo.Interaction, e *discordgo.WebhookEdit) error {
	_, err := s.s.InteractionResponseEdit(i, e, discordgo.WithContext(ctx))
	return err
}

func (s session) InteractionResponseDelete(ctx context.Context, i *discordgo.Interaction) error {
	return s.s.InteractionResponseDelete(i, discordgo.WithContext(ctx))
}

func (s session) FollowupMessageCreate(ctx context.Context, i *discordgo.Interaction, wait bool, p *discordgo.WebhookParams) (*discordgo.Message, error) {
	return s.s.FollowupMessageCreate(i, wait, p, discordgo.WithContext(ctx))
}

func (s session) FollowupMessageEdit(ctx context.Context, i *discordgo.Interaction, messageID string, e *discordgo.WebhookEdit) error {
	_, err := s.s.FollowupMessageEdit(i, messageID, e, discordgo.WithContext(ctx))
	return err
}

func (s session) ChannelMessageSendComplex(ctx context.Context, channelID string, m *discordgo.MessageSend) (*discordgo.Message, error) {
	return s.s.ChannelMessageSendComplex(channelID, m, discordgo.WithContext(ctx))
}

func (s session) ChannelMessageEditComplex(ctx context.Context, e *discordgo.MessageEdit) error {
	_, err := s.s.ChannelMessageEditComplex(e, discordgo.WithContext(ctx))
	return err
}

func (s session) ChannelMessagePost(ctx context.Context, channelID string, m *discordgo.MessageSend, nonce string, retry bool) (*discordgo.Message, error) {
	// discordgo's MessageSend has no nonce.
	body := struct {
		*discordgo.MessageSend
		Nonce        string `json:"nonce,omitempty"`
		EnforceNonce bool   `json:"enforce_nonce,omitempty"`
	}{m, nonce, nonce != ""}
	endpoint := discordgo.EndpointChannelMessages(channelID)
	raw, err := s.s.RequestWithBucketID("POST", endpoint, body, endpoint, discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(retry))
	if err != nil {
		return nil, err
	}
	var sent discordgo.Message
	if err := json.Unmarshal(raw, &sent); err != nil || sent.ID == "" {
		return nil, fmt.Errorf("reading the posted message: %v (%.200s)", err, raw)
	}
	return &sent, nil
}

func (s session) UserChannelCreate(ctx context.Context, userID string, retry bool) (*discordgo.Channel, error) {
	return s.s.UserChannelCreate(userID, discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(retry))
}

func (s session) Channel(ctx context.Context, channelID string) (*discordgo.Channel, error) {
	return s.s.Channel(channelID, discordgo.WithContext(ctx))
}

func (s session) ChannelMessageCrosspost(ctx context.Context, channelID, messageID string) error {
	_, err := s.s.ChannelMessageCrosspost(channelID, messageID, discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
	return err
}

// Connect makes a discordgo session of its own for the gateway, sharing the
// REST session's token, HTTP client and user agent. Each handler runs in a
// goroutine discordgo starts, outside any recover: handle must recover.
func (s session) Connect(shardID, shardCount int, handle func(event any)) Connection {
	ws, _ := discordgo.New(s.s.Token) // cannot fail: the token is set
	ws.Client = s.s.Client
	ws.UserAgent = s.s.UserAgent
	ws.LogLevel = discordgo.LogError
	ws.StateEnabled = false
	ws.ShouldReconnectOnError = false // the Gateway reconnects, so that fatal close codes stop it
	ws.Identify.Intents = Intents
	if shardCount > 1 {
		ws.ShardID, ws.ShardCount = shardID, shardCount
	}
	ws.AddHandler(func(_ *discordgo.Session, e *discordgo.Ready) { handle(e) })
	ws.AddHandler(func(_ *discordgo.Session, e *discordgo.Resumed) { handle(e) })
	ws.AddHandler(func(_ *discordgo.Session, e *discordgo.Disconnect) { handle(e) })
	ws.AddHandler(func(_ *discordgo.Session, e *discordgo.InteractionCreate) { handle(e) })
	ws.AddHandler(func(_ *discordgo.Session, e *discordgo.MessageCreate) { handle(e) })
	return wsConn{ws}
}

// wsConn is a gateway connection on a discordgo session.
type wsConn struct{ *discordgo.Session }

// HeartbeatLatency is the time from the last heartbeat to its ACK; while
// an ACK is awaited, the time since the heartbeat, so that a connection
// that stopped answering shows as ever slower. 0 before the first. discordgo writes the time of a
// heartbeat under a mutex of its own, which it does not export (its
// HeartbeatLatency reads the field without it, a data race); the field is
// read here under that mutex, found by reflection.
func (c wsConn) HeartbeatLatency() time.Duration {
	mu := wsMutex(c.Session)
	if mu == nil {
		return 0
	}
	mu.Lock()
	sent := c.LastHeartbeatSent
	mu.Unlock()
	c.RLock()
	ack := c.LastHeartbeatAck
	c.RUnlock()
	switch {
	case sent.IsZero():
		return 0
	case ack.Before(sent):
		return time.Since(sent)
	}
	return ack.Sub(sent)
}

// wsMutex returns the discordgo session's websocket write lock, or nil if
// this version of discordgo has none by that name.
func wsMutex(s *discordgo.Session) *sync.Mutex {
	f := reflect.ValueOf(s).Elem().FieldByName("wsMutex")
	if !f.IsValid() || f.Type() != reflect.TypeFor[sync.Mutex]() {
		return nil
	}
	return (*sync.Mutex)(unsafe.Pointer(f.UnsafeAddr()))
}
