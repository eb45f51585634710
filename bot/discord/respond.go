package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
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

	// deferred: the interaction was acknowledged with a deferred
	// response, privately if deferredPrivate; the answer is edited in or
	// follows. answered: the answer is shown; only a pending edit can
	// follow.
	deferred, deferredPrivate, answered bool
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
func deferrable(s Session, clock bot.Clock, after time.Duration) func(exchangeHandler) exchangeHandler {
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
			if err := s.InteractionRespond(ctx, x.i, deferred); err != nil {
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

// interaction answers one interaction. The core answers through the
// deferral, then the answer goes out as the callback or, after a deferral,
// as an edit or a follow-up; a rephrasing the core has coming is edited in
// after it. A panic on the way is logged, and the person who asked is told
// something went wrong if no answer reached them.
func (g *Gateway) interaction(ctx context.Context, i *discordgo.Interaction) {
	x := &exchange{i: i, start: g.clock.Now(), log: g.log.With("interaction", i.ID, "guild", i.GuildID)}
	req, err := interactionRequest(i)
	req.Markup = g.client.Markup()
	if err != nil {
		g.callback(ctx, x.log, i, discordgo.InteractionResponseChannelMessageWithSource, responseData(errorReply(err)))
		return
	}
	x.req, x.log = req, x.log.With("kind", req.Kind, "command", req.Command)
	x.private = req.Kind == bot.KindCommand && g.private[req.Command]
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), tokenLife)
	defer cancel()

	if req.Kind == bot.KindAutocomplete {
		g.autocomplete(ctx, x.log, i, req)
		return
	}

	defer func() {
		if p := recover(); p != nil {
			x.log.Error("panic while answering an interaction", "panic", p, "stack", string(debug.Stack()))
			if !x.answered {
				g.fail(ctx, x, fmt.Errorf("panic: %v", p))
			}
		}
	}()
	reply, err := g.answer(ctx, x)
	switch {
	case errors.Is(err, errUnacknowledged):
		return
	case err != nil:
		g.logError(x.log, err)
		g.fail(ctx, x, err)
		return
	}
	edit, ok := g.respond(ctx, x, reply)
	if !ok {
		return
	}
	x.answered = true
	g.pending(ctx, x.log, reply, edit)
}

// respond shows the answer: as the interaction's callback, or after a
// deferral in place of the "thinking…" message or the clicked one. It
// returns how to edit the answer later, and false if it could not show
// it.
func (g *Gateway) respond(ctx context.Context, x *exchange, reply *bot.Reply) (func(context.Context, *bot.Reply) error, bool) {
	if reply.Modal != nil {
		return g.openModal(ctx, x, reply.Modal)
	}
	if !x.deferred {
		kind := discordgo.InteractionResponseChannelMessageWithSource
		if x.component() && !reply.Private {
			// Turn the page in place. A private answer to a click (on a
			// digest, which the channel shares) is a message of its own.
			kind = discordgo.InteractionResponseUpdateMessage
		}
		g.callback(ctx, x.log, x.i, kind, responseData(reply))
		x.log.Debug("answered", "took", g.clock.Now().Sub(x.start))
		return g.editOriginal(x.i), true
	}
	edit := g.editOriginal(x.i)
	switch {
	case reply.Private && (x.component() || !x.deferredPrivate):
		// A private answer cannot take the place of a public message: a
		// click's message stays as it is, a public "thinking…" goes, and
		// the answer follows as a message of its own.
		if !x.component() {
			if err := g.client.s.InteractionResponseDelete(ctx, x.i); err != nil {
				x.log.Warn("could not remove the deferred message", "err", err)
			}
		}
		m, err := g.client.s.FollowupMessageCreate(ctx, x.i, true, webhookParams(reply))
		if err != nil {
			x.log.Error("could not send the answer", "err", err)
			return nil, false
		}
		edit = func(ctx context.Context, r *bot.Reply) error {
			return g.client.s.FollowupMessageEdit(ctx, x.i, m.ID, webhookEdit(r))
		}
	default:
		if err := edit(ctx, reply); err != nil {
			x.log.Error("could not edit in the answer", "err", err)
			return nil, false
		}
	}
	x.log.Info("answered after a deferral", "took", g.clock.Now().Sub(x.start))
	return edit, true
}

// openModal shows a modal: only the first answer to an interaction can
// be one, so after a deferral the person is told to try again.
func (g *Gateway) openModal(ctx context.Context, x *exchange, m *bot.Modal) (func(context.Context, *bot.Reply) error, bool) {
	if x.deferred {
		x.log.Warn("a modal came too late to be shown")
		g.fail(ctx, x, bot.Errorf(bot.Unavailable, "That took too long to open; please click again."))
		return nil, false
	}
	err := g.client.s.InteractionRespond(ctx, x.i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: modalData(m)})
	if err != nil {
		x.log.Error("could not open the modal", "err", err, "status", status(err), "code", code(err))
		return nil, false
	}
	return nil, true
}

// fail tells the person who asked that their request failed, privately:
// as the callback, or after a deferral as a follow-up, dropping a public
// "thinking…" message.
func (g *Gateway) fail(ctx context.Context, x *exchange, err error) {
	if !x.deferred {
		g.callback(ctx, x.log, x.i, discordgo.InteractionResponseChannelMessageWithSource, responseData(errorReply(err)))
		return
	}
	if !x.component() {
		if err := g.client.s.InteractionResponseDelete(ctx, x.i); err != nil {
			x.log.Warn("could not remove the deferred message", "err", err)
		}
	}
	if _, err := g.client.s.FollowupMessageCreate(ctx, x.i, false, webhookParams(errorReply(err))); err != nil {
		x.log.Error("could not send the error", "err", err)
	}
}

// editOriginal edits the interaction's original response.
func (g *Gateway) editOriginal(i *discordgo.Interaction) func(context.Context, *bot.Reply) error {
	return func(ctx context.Context, r *bot.Reply) error {
		return g.client.s.InteractionResponseEdit(ctx, i, webhookEdit(r))
	}
}

// pending edits a better answer in place of the one shown, when the core
// has one coming (a rephrasing).
func (g *Gateway) pending(ctx context.Context, log *slog.Logger, shown *bot.Reply, edit func(context.Context, *bot.Reply) error) {
	if shown.Pending == nil {
		return
	}
	better, err := rephrased(ctx, log, shown)
	if err != nil {
		g.logError(log, err)
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
func (g *Gateway) callback(ctx context.Context, log *slog.Logger, i *discordgo.Interaction, kind discordgo.InteractionResponseType, data *discordgo.InteractionResponseData) {
	if kind == discordgo.InteractionResponseUpdateMessage {
		data.Flags = 0 // an update keeps the message's own visibility
	}
	err := g.client.s.InteractionRespond(ctx, i, &discordgo.InteractionResponse{Type: kind, Data: data})
	if err != nil {
		log.Error("could not answer the interaction", "err", err, "status", status(err), "code", code(err))
	}
}

// autocomplete answers with at most 25 choices; on any failure with none,
// so that the user's client stops waiting.
func (g *Gateway) autocomplete(ctx context.Context, log *slog.Logger, i *discordgo.Interaction, req *bot.Request) {
	ctx, cancel := context.WithTimeout(ctx, autocompleteWait)
	defer cancel()
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	reply, err := g.handler.Answer(ctx, req)
	if err != nil {
		g.logError(log, err)
	} else {
		for _, c := range reply.Choices {
			if len(choices) == bot.MaxChoices {
				break
			}
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: c.Name, Value: c.Value})
		}
	}
	if err := g.client.s.InteractionChoices(ctx, i, choices); err != nil {
		log.Warn("could not send autocomplete choices", "err", err)
	}
}

// directMessage answers a DM in the text grammar. A question that matches
// nothing gets help, with a line saying so.
func (g *Gateway) directMessage(ctx context.Context, m *discordgo.Message) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	log := g.log.With("dm", m.ChannelID, "message", m.ID)
	req := messageRequest(m)
	req.Markup = g.client.Markup()
	reply, err := g.handler.Answer(ctx, req)
	if err != nil {
		g.logError(log, err)
		reply = errorReply(err)
		if bot.KindOf(err) == bot.NotFound {
			if help, herr := g.handler.Answer(ctx, &bot.Request{Kind: bot.KindCommand, Command: bot.CommandHelp, Source: bot.FromDM, ChannelID: m.ChannelID}); herr == nil {
				help.Content = bot.UserMessage(err)
				reply = help
			}
		}
	}
	send := messageSend(reply)
	send.Reference = &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, FailIfNotExists: new(bool)}
	sent, err := g.client.s.ChannelMessageSendComplex(ctx, m.ChannelID, send)
	if err != nil {
		log.Error("could not answer the direct message", "err", err, "status", status(err), "code", code(err))
		return
	}
	if reply.Pending == nil {
		return
	}
	better, err := rephrased(ctx, log, reply)
	if err != nil {
		g.logError(log, err)
		return
	}
	content, embeds, components := better.Content, renderEmbeds(better), renderComponents(better)
	edit := &discordgo.MessageEdit{ID: sent.ID, Channel: m.ChannelID, Content: &content, Embeds: &embeds, Components: &components, AllowedMentions: noMentions()}
	if err := g.client.s.ChannelMessageEditComplex(ctx, edit); err != nil {
		log.Error("could not edit in the rephrased answer", "err", err)
	}
}

// logError logs what the person who asked did not see: internal causes at
// error level, their own mistakes at debug.
func (g *Gateway) logError(log *slog.Logger, err error) {
	if bot.KindOf(err) == bot.Internal {
		log.Error("answering failed", "err", err)
		return
	}
	log.Debug("answered with an error", "kind", bot.KindOf(err), "err", err)
}
