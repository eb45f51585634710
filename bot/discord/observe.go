package discord

import (
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/bwmarrin/discordgo"
)

// Observer is told what the adapter does, for metrics: what each
// interaction came to, every REST request and each change in a gateway
// connection. bot/metrics implements it, and cmd/briefbot wires it in
// through Config.Observer. Its methods are called on the answering path:
// they must be quick, and safe for concurrent use. Every value passed is
// from a small set — no user id, no text anyone typed.
type Observer interface {
	// Interaction reports one interaction: its type (InteractionCommand,
	// …), the command it ran (for a click, the action of its custom id;
	// "" if unknown), its outcome (OutcomeAnswered, …) and how long it
	// took from its receipt to its first response, 0 if none went out.
	Interaction(typ, command, outcome string, firstResponse time.Duration)
	// Request reports one REST request: its route, such as "POST
	// /channels/{id}/messages", and the status Discord answered (0 for no
	// answer); for a 429, global says whether the limit holds for every
	// request of the bot.
	Request(route string, status int, global bool)
	// Gateway reports a change in a shard's gateway connection:
	// GatewayReady, GatewayResumed, GatewayDisconnected or
	// GatewayReconnecting.
	Gateway(shard int, event string)
}

// The types of interaction an Observer hears of.
const (
	InteractionCommand      = "command"
	InteractionComponent    = "component"
	InteractionAutocomplete = "autocomplete"
	InteractionModal        = "modal_submit"
	InteractionOther        = "other"
)

// The outcomes of an interaction.
const (
	// OutcomeAnswered: the answer was the interaction's response.
	OutcomeAnswered = "answered"
	// OutcomeDeferred: the interaction was acknowledged, and the answer
	// followed.
	OutcomeDeferred = "deferred"
	// OutcomeUserError: the person was told what was wrong with their
	// request (an unknown command, a bad option, an expired button).
	OutcomeUserError = "user_error"
	// OutcomeError: something failed on briefbot's side, and the person
	// was told so.
	OutcomeError = "error"
	// OutcomeUndelivered: nothing, or not the answer, reached Discord.
	OutcomeUndelivered = "undelivered"
)

// The gateway events an Observer hears of.
const (
	GatewayReady        = "ready"        // connected and identified: READY
	GatewayResumed      = "resumed"      // a lost connection resumed its session: RESUMED
	GatewayDisconnected = "disconnected" // the connection was lost
	GatewayReconnecting = "reconnecting" // a failed connection is tried again
)

// observe reports an exchange to the observer, once.
func (a *answerer) observe(x *exchange, outcome string) {
	if x.observed || a.obs == nil {
		return
	}
	x.observed = true
	a.obs.Interaction(interactionType(x.i.Type), commandOf(x), outcome, x.firstResponse)
}

func interactionType(t discordgo.InteractionType) string {
	switch t {
	case discordgo.InteractionApplicationCommand:
		return InteractionCommand
	case discordgo.InteractionMessageComponent:
		return InteractionComponent
	case discordgo.InteractionApplicationCommandAutocomplete:
		return InteractionAutocomplete
	case discordgo.InteractionModalSubmit:
		return InteractionModal
	}
	return InteractionOther
}

// commandOf is the command an exchange ran, or for a click its action.
func commandOf(x *exchange) string {
	if x.req == nil {
		return ""
	}
	if x.req.Kind == bot.KindComponent {
		c, err := bot.ParseComponentID(x.req.CustomID)
		if err != nil {
			return ""
		}
		return c.Action
	}
	return x.req.Command
}

// route is a REST request's route bucket as metrics name it: its method
// and its path below the API version, with ids and tokens as {id} and
// {token}: "POST /interactions/{id}/{token}/callback".
func route(method, path string) string {
	if i := strings.Index(path, "/api/v"); i >= 0 {
		path = path[i+len("/api/v"):]
		if j := strings.IndexByte(path, '/'); j >= 0 {
			path = path[j:]
		} else {
			path = "/"
		}
	}
	parts := strings.Split(path, "/")
	for i, p := range parts {
		switch {
		case i > 0 && isID(p):
			parts[i] = "{id}"
		case i > 1 && (parts[i-1] == "{id}" && (parts[i-2] == "interactions" || parts[i-2] == "webhooks")):
			parts[i] = "{token}"
		}
	}
	return method + " " + strings.Join(parts, "/")
}

func isID(s string) bool {
	if len(s) < 5 || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
