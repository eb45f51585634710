package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/bwmarrin/discordgo"
)

// tokenLife is how long an interaction token lets the bot edit its answer;
// Discord's is 15 minutes, less a margin.
const tokenLife = 14 * time.Minute

// autocompleteWait bounds an autocomplete answer: Discord shows nothing
// after 3 s, and a late list is useless.
const autocompleteWait = 2500 * time.Millisecond

// An answerer takes interactions to their answers: it runs the core
// behind the deferral and sends what it says to Discord. The gateway and
// the HTTP endpoint each answer through one, the same code; they differ
// only in how an interaction arrives and how its first response leaves.
type answerer struct {
	client  *Client
	handler bot.Handler     // the core, recovered
	answer  exchangeHandler // handler behind the deferral
	log     *slog.Logger
	clock   bot.Clock
	obs     Observer
	// private are the commands that always answer privately
	// (bot.Command.Private), whose deferral is private too.
	private atomic.Pointer[map[string]bool]
}

// newAnswerer returns an answerer that answers with h through client,
// deferring an answer not ready after deferAfter on clock.
func newAnswerer(client *Client, h bot.Handler, clock bot.Clock, deferAfter time.Duration) *answerer {
	if clock == nil {
		clock = bot.SystemClock{}
	}
	a := &answerer{
		client: client, log: client.log, clock: clock, obs: client.obs,
		// A panic in the core, which runs in goroutines of ours and
		// discordgo's, is an internal error: the person who asked is told
		// something went wrong, and the bot goes on.
		handler: bot.Recover(client.log)(h),
	}
	a.answer = deferrable(clock, deferAfter)(func(ctx context.Context, x *exchange) (*bot.Reply, error) {
		return a.handler.Answer(ctx, x.req)
	})
	return a
}

// know makes cmds the commands answered: those that always answer
// privately are acknowledged privately when slow.
func (a *answerer) know(cmds []bot.Command) {
	private := make(map[string]bool)
	for _, c := range cmds {
		if c.Private {
			private[c.Name] = true
		}
	}
	a.private.Store(&private)
}

// alwaysPrivate reports whether the command always answers privately.
func (a *answerer) alwaysPrivate(command string) bool {
	m := a.private.Load()
	return m != nil && (*m)[command]
}

// An exchange is one interaction on its way to an answer: what Discord
// sent, the request the core sees, and how far the answer has got, which
// decides how the next message reaches Discord.
type exchange struct {
	i     *discordgo.Interaction
	req   *bot.Request
	log   *slog.Logger
	start time.Time

	// private: the command always answers privately (bot.Command.Private).
	private bool

	// respond sends the interaction's one response: a REST call for an
	// interaction from the gateway, the HTTP response for one posted to
	// the endpoint. Every other message goes through the REST webhooks.
	respond callbackFunc
	// firstResponse is how long the first response took to go out; 0
	// until it has.
	firstResponse time.Duration
	observed      bool

	// deferred: the interaction was acknowledged with a deferred
	// response, privately if deferredPrivate; the answer is edited in or
	// follows. answered: the answer is shown; only a pending edit can
	// follow.
	deferred, deferredPrivate, answered bool
}

// A callbackFunc sends an interaction's one response.
type callbackFunc func(ctx context.Context, r *discordgo.InteractionResponse) error

// send sends the exchange's one response and notes when it went.
func (x *exchange) send(ctx context.Context, clock bot.Clock, r *discordgo.InteractionResponse) error {
	err := x.respond(ctx, r)
	if err == nil && x.firstResponse == 0 {
		x.firstResponse = max(clock.Now().Sub(x.start), time.Nanosecond)
	}
	return err
}

func (x *exchange) component() bool { return x.req.Kind == bot.KindComponent }

// An exchangeHandler answers an exchange's request: the core's
// bot.Handler as the edge sees it, where middleware may act on the
// interaction, as deferrable does, before the answer is sent.
type exchangeHandler func(ctx context.Context, x *exchange) (*bot.Reply, error)

// errUnacknowledged ends an exchange that Discord has dropped: it was slow
// and its deferral failed.
var errUnacknowledged = errors.New("the interaction could not be acknowledged")

// deferrable keeps Discord's 3-second rule at the edge, as arikawa's
// cmdroute.Deferrable does: it runs next, and if next has not answered
// within after on clock, acknowledges the interaction with a deferred
// response — a "thinking…" message, private when the request asks for
// privacy, or for a click a deferred update — marks the exchange deferred,
// and waits for the answer, which is then edited in. So the core answers
// synchronously and never depends on how long Discord waits. If the
// acknowledgement fails, it returns errUnacknowledged at once.
func deferrable(clock bot.Clock, after time.Duration) func(exchangeHandler) exchangeHandler {
	type answer struct {
		reply *bot.Reply
		err   error
	}
	return func(next exchangeHandler) exchangeHandler {
		return func(ctx context.Context, x *exchange) (*bot.Reply, error) {
			done := make(chan answer, 1)
			go func() {
				var a answer
				defer func() {
					if p := recover(); p != nil {
						x.log.Error("panic while answering", "panic", p, "stack", string(debug.Stack()))
						a = answer{err: fmt.Errorf("panic: %v", p)}
					}
					done <- a
				}()
				a.reply, a.err = next(ctx, x)
			}()
			timer := clock.NewTimer(after)
			defer timer.Stop()
			select {
			case a := <-done:
				return a.reply, a.err
			case <-timer.C():
			}

			// Slow: acknowledge now, answer later.
			deferred := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
			private := false
			if x.component() {
				deferred.Type = discordgo.InteractionResponseDeferredMessageUpdate
			} else if p, _ := x.req.Bool(bot.OptPrivate); p || x.private {
				deferred.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
				private = true
			}
			if err := x.send(ctx, clock, deferred); err != nil {
				x.log.Error("could not acknowledge a slow answer", "err", err)
				return nil, errUnacknowledged
			}
			x.deferred, x.deferredPrivate = true, private
			x.log.Info("acknowledged a slow answer; it follows", "after", clock.Now().Sub(x.start))
			a := <-done
			return a.reply, a.err
		}
	}
}

// interaction answers one interaction, received at received, whose first
// response respond sends. The core answers through the deferral, then the answer goes out
// as the callback or, after a deferral, as an edit or a follow-up; a
// rephrasing the core has coming is edited in after it. A panic on the
// way is logged, and the person who asked is told something went wrong if
// no answer reached them.
func (a *answerer) interaction(ctx context.Context, i *discordgo.Interaction, received time.Time, respond callbackFunc) {
	x := &exchange{i: i, respond: respond, start: received, log: a.log.With("interaction", i.ID, "guild", i.GuildID)}
	outcome := OutcomeError
	defer func() { a.observe(x, outcome) }()
	req, err := interactionRequest(i)
	req.Markup = a.client.Markup()
	if err != nil {
		outcome = OutcomeUserError
		if a.callback(ctx, x, discordgo.InteractionResponseChannelMessageWithSource, responseData(errorReply(err))) != nil {
			outcome = OutcomeUndelivered
		}
		return
	}
	x.req, x.log = req, x.log.With("kind", req.Kind, "command", req.Command)
	x.private = req.Kind == bot.KindCommand && a.alwaysPrivate(req.Command)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), tokenLife)
	defer cancel()

	if req.Kind == bot.KindAutocomplete {
		outcome = a.autocomplete(ctx, x)
		return
	}

	defer func() {
		if p := recover(); p != nil {
			x.log.Error("panic while answering an interaction", "panic", p, "stack", string(debug.Stack()))
			outcome = OutcomeError
			if !x.answered {
				a.fail(ctx, x, fmt.Errorf("panic: %v", p))
			}
		}
	}()
	reply, err := a.answer(ctx, x)
	switch {
	case errors.Is(err, errUnacknowledged):
		outcome = OutcomeUndelivered
		return
	case err != nil:
		a.logError(x.log, err)
		outcome = errorOutcome(err)
		if !a.fail(ctx, x, err) {
			outcome = OutcomeUndelivered
		}
		return
	}
	edit, ok := a.respond(ctx, x, reply)
	if !ok {
		outcome = OutcomeUndelivered
		return
	}
	x.answered = true
	outcome = OutcomeAnswered
	if x.deferred {
		outcome = OutcomeDeferred
	}
	a.observe(x, outcome) // now, not after the rephrasing
	a.pending(ctx, x.log, reply, edit)
}

// errorOutcome is the outcome of an answer that failed with err.
func errorOutcome(err error) string {
	if bot.KindOf(err) == bot.Internal {
		return OutcomeError
	}
	return OutcomeUserError
}

// respond shows the answer: as the interaction's callback, or after a
// deferral in place of the "thinking…" message or the clicked one. It
// returns how to edit the answer later, and false if it could not show
// it.
func (a *answerer) respond(ctx context.Context, x *exchange, reply *bot.Reply) (func(context.Context, *bot.Reply) error, bool) {
	if reply.Modal != nil {
		return a.openModal(ctx, x, reply.Modal)
	}
	if !x.deferred {
		kind := discordgo.InteractionResponseChannelMessageWithSource
		if x.component() && !reply.Private {
			// Turn the page in place. A private answer to a click (on a
			// digest, which the channel shares) is a message of its own.
			kind = discordgo.InteractionResponseUpdateMessage
		}
		if a.callback(ctx, x, kind, responseData(reply)) != nil {
			return nil, false
		}
		x.log.Debug("answered", "took", a.clock.Now().Sub(x.start))
		return a.editOriginal(x.i), true
	}
	edit := a.editOriginal(x.i)
	switch {
	case reply.Private && (x.component() || !x.deferredPrivate):
		// A private answer cannot take the place of a public message: a
		// click's message stays as it is, a public "thinking…" goes, and
		// the answer follows as a message of its own.
		if !x.component() {
			if err := a.client.s.InteractionResponseDelete(ctx, x.i); err != nil {
				x.log.Warn("could not remove the deferred message", "err", err)
			}
		}
		m, err := a.client.s.FollowupMessageCreate(ctx, x.i, true, webhookParams(reply))
		if err != nil {
			x.log.Error("could not send the answer", "err", err)
			return nil, false
		}
		edit = func(ctx context.Context, r *bot.Reply) error {
			return a.client.s.FollowupMessageEdit(ctx, x.i, m.ID, webhookEdit(r))
		}
	default:
		if err := edit(ctx, reply); err != nil {
			x.log.Error("could not edit in the answer", "err", err)
			return nil, false
		}
	}
	x.log.Info("answered after a deferral", "took", a.clock.Now().Sub(x.start))
	return edit, true
}

// openModal shows a modal: only the first answer to an interaction can
// be one, so after a deferral the person is told to try again.
func (a *answerer) openModal(ctx context.Context, x *exchange, m *bot.Modal) (func(context.Context, *bot.Reply) error, bool) {
	if x.deferred {
		x.log.Warn("a modal came too late to be shown")
		a.fail(ctx, x, bot.Errorf(bot.Unavailable, "That took too long to open; please click again."))
		return nil, false
	}
	// The callback says why, if it fails; it goes as the HTTP response
	// on the endpoint, by REST from the gateway.
	if a.callback(ctx, x, discordgo.InteractionResponseModal, modalData(m)) != nil {
		return nil, false
	}
	return nil, true
}

// fail tells the person who asked that their request failed, privately:
// as the callback, or after a deferral as a follow-up, dropping a public
// "thinking…" message. It reports whether the message went out.
func (a *answerer) fail(ctx context.Context, x *exchange, err error) bool {
	if !x.deferred {
		return a.callback(ctx, x, discordgo.InteractionResponseChannelMessageWithSource, responseData(errorReply(err))) == nil
	}
	if !x.component() {
		if err := a.client.s.InteractionResponseDelete(ctx, x.i); err != nil {
			x.log.Warn("could not remove the deferred message", "err", err)
		}
	}
	if _, err := a.client.s.FollowupMessageCreate(ctx, x.i, false, webhookParams(errorReply(err))); err != nil {
		x.log.Error("could not send the error", "err", err)
		return false
	}
	return true
}

// editOriginal edits the interaction's original response.
func (a *answerer) editOriginal(i *discordgo.Interaction) func(context.Context, *bot.Reply) error {
	return func(ctx context.Context, r *bot.Reply) error {
		return a.client.s.InteractionResponseEdit(ctx, i, webhookEdit(r))
	}
}

// pending edits a better answer in place of the one shown, when the core
// has one coming (a rephrasing).
func (a *answerer) pending(ctx context.Context, log *slog.Logger, shown *bot.Reply, edit func(context.Context, *bot.Reply) error) {
	if shown.Pending == nil {
		return
	}
	better, err := rephrased(ctx, log, shown)
	if err != nil {
		a.logError(log, err)
		return
	}
	better.Private = shown.Private
	if err := edit(ctx, better); err != nil {
		log.Error("could not edit in the rephrased answer", "err", err)
	}
}

// rephrased waits for the better answer a reply has coming. A panic in
// the core on the way is an error like any other: the answer shown stays.
func rephrased(ctx context.Context, log *slog.Logger, shown *bot.Reply) (better *bot.Reply, err error) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("panic while rephrasing", "panic", p, "stack", string(debug.Stack()))
			better, err = nil, fmt.Errorf("panic: %v", p)
		}
	}()
	return shown.Pending(ctx)
}

// callback sends the interaction's one response.
func (a *answerer) callback(ctx context.Context, x *exchange, kind discordgo.InteractionResponseType, data *discordgo.InteractionResponseData) error {
	if kind == discordgo.InteractionResponseUpdateMessage {
		data.Flags = 0 // an update keeps the message's own visibility
	}
	err := x.send(ctx, a.clock, &discordgo.InteractionResponse{Type: kind, Data: data})
	if err != nil {
		x.log.Error("could not answer the interaction", "err", err, "status", status(err), "code", code(err))
	}
	return err
}

// autocomplete answers with at most 25 choices; on any failure with none,
// so that the user's client stops waiting. It returns the outcome.
func (a *answerer) autocomplete(ctx context.Context, x *exchange) string {
	ctx, cancel := context.WithTimeout(ctx, autocompleteWait)
	defer cancel()
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	outcome := OutcomeAnswered
	reply, err := a.handler.Answer(ctx, x.req)
	if err != nil {
		a.logError(x.log, err)
		outcome = errorOutcome(err)
	} else {
		for _, c := range reply.Choices {
			if len(choices) == bot.MaxChoices {
				break
			}
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: c.Name, Value: c.Value})
		}
	}
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult, Data: &discordgo.InteractionResponseData{Choices: choices}}
	if err := x.send(ctx, a.clock, resp); err != nil {
		x.log.Warn("could not send autocomplete choices", "err", err)
		return OutcomeUndelivered
	}
	return outcome
}

// directMessage answers a DM in the text grammar. A question that matches
// nothing gets help, with a line saying so.
func (a *answerer) directMessage(ctx context.Context, m *discordgo.Message) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	log := a.log.With("dm", m.ChannelID, "message", m.ID)
	req := messageRequest(m)
	req.Markup = a.client.Markup()
	reply, err := a.handler.Answer(ctx, req)
	if err != nil {
		a.logError(log, err)
		reply = errorReply(err)
		if bot.KindOf(err) == bot.NotFound {
			if help, herr := a.handler.Answer(ctx, &bot.Request{Kind: bot.KindCommand, Command: bot.CommandHelp, Source: bot.FromDM, ChannelID: m.ChannelID}); herr == nil {
				help.Content = bot.UserMessage(err)
				reply = help
			}
		}
	}
	send := messageSend(reply)
	send.Reference = &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, FailIfNotExists: new(bool)}
	sent, err := a.client.s.ChannelMessageSendComplex(ctx, m.ChannelID, send)
	if err != nil {
		log.Error("could not answer the direct message", "err", err, "status", status(err), "code", code(err))
		return
	}
	if reply.Pending == nil {
		return
	}
	better, err := rephrased(ctx, log, reply)
	if err != nil {
		a.logError(log, err)
		return
	}
	content, embeds, components := better.Content, renderEmbeds(better), renderComponents(better)
	edit := &discordgo.MessageEdit{ID: sent.ID, Channel: m.ChannelID, Content: &content, Embeds: &embeds, Components: &components, AllowedMentions: noMentions()}
	if err := a.client.s.ChannelMessageEditComplex(ctx, edit); err != nil {
		log.Error("could not edit in the rephrased answer", "err", err)
	}
}

// logError logs what the person who asked did not see: internal causes at
// error level, their own mistakes at debug.
func (a *answerer) logError(log *slog.Logger, err error) {
	if bot.KindOf(err) == bot.Internal {
		log.Error("answering failed", "err", err)
		return
	}
	log.Debug("answered with an error", "kind", bot.KindOf(err), "err", err)
}
