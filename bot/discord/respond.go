package discord

import (
	"context"
	"log/slog"
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

type answer struct {
	reply *bot.Reply
	err   error
}

// interaction answers one interaction. The core answers synchronously; if it
// is slower than DeferAfter, the interaction is acknowledged with a deferral
// and the answer edited in when it is ready, so Discord's 3-second rule
// never depends on the core.
func (g *Gateway) interaction(ctx context.Context, i *discordgo.Interaction) {
	start := g.clock.Now()
	log := g.log.With("interaction", i.ID, "guild", i.GuildID)
	req, err := interactionRequest(i)
	if err != nil {
		g.callback(ctx, log, i, discordgo.InteractionResponseChannelMessageWithSource, responseData(errorReply(err)))
		return
	}
	log = log.With("kind", req.Kind, "command", req.Command)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), tokenLife)
	defer cancel()

	if req.Kind == bot.KindAutocomplete {
		g.autocomplete(ctx, log, i, req)
		return
	}

	done := make(chan answer, 1)
	go func() {
		reply, err := g.handler.Answer(ctx, req)
		done <- answer{reply, err}
	}()
	timer := g.clock.NewTimer(g.cfg.DeferAfter)
	defer timer.Stop()

	var a answer
	select {
	case a = <-done:
		if a.err != nil {
			g.logError(log, a.err)
			g.callback(ctx, log, i, discordgo.InteractionResponseChannelMessageWithSource, responseData(errorReply(a.err)))
			return
		}
		kind := discordgo.InteractionResponseChannelMessageWithSource
		if req.Kind == bot.KindComponent && !a.reply.Private {
			// Turn the page in place. A private answer to a click (on a
			// digest, which the channel shares) is a message of its own.
			kind = discordgo.InteractionResponseUpdateMessage
		}
		g.callback(ctx, log, i, kind, responseData(a.reply))
		log.Debug("answered", "took", g.clock.Now().Sub(start))
		g.pending(ctx, log, a.reply, g.editOriginal(i))
		return
	case <-timer.C():
	}

	// Slow: acknowledge now, answer later.
	deferred := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	deferredPrivate := false
	if req.Kind == bot.KindComponent {
		deferred.Type = discordgo.InteractionResponseDeferredMessageUpdate
	} else if private, _ := req.Bool(bot.OptPrivate); private {
		deferred.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
		deferredPrivate = true
	}
	if err := g.client.s.InteractionRespond(ctx, i, deferred); err != nil {
		log.Error("could not acknowledge a slow answer", "err", err)
		return
	}
	log.Info("acknowledged a slow answer; it follows", "after", g.clock.Now().Sub(start))
	a = <-done
	if a.err != nil {
		g.logError(log, a.err)
		// A failure is shown only to the person who asked: drop the
		// public "thinking…" message and say what went wrong privately.
		if req.Kind != bot.KindComponent {
			if err := g.client.s.InteractionResponseDelete(ctx, i); err != nil {
				log.Warn("could not remove the deferred message", "err", err)
			}
		}
		if _, err := g.client.s.FollowupMessageCreate(ctx, i, false, webhookParams(errorReply(a.err))); err != nil {
			log.Error("could not send the error", "err", err)
		}
		return
	}
	edit := g.editOriginal(i)
	switch {
	case a.reply.Private && (req.Kind == bot.KindComponent || !deferredPrivate):
		// A private answer cannot take the place of a public message: a
		// click's message stays as it is, a public "thinking…" goes, and
		// the answer follows as a message of its own.
		if req.Kind != bot.KindComponent {
			if err := g.client.s.InteractionResponseDelete(ctx, i); err != nil {
				log.Warn("could not remove the deferred message", "err", err)
			}
		}
		m, err := g.client.s.FollowupMessageCreate(ctx, i, true, webhookParams(a.reply))
		if err != nil {
			log.Error("could not send the answer", "err", err)
			return
		}
		edit = func(ctx context.Context, r *bot.Reply) error {
			return g.client.s.FollowupMessageEdit(ctx, i, m.ID, webhookEdit(r))
		}
	default:
		if err := edit(ctx, a.reply); err != nil {
			log.Error("could not edit in the answer", "err", err)
			return
		}
	}
	log.Info("answered after a deferral", "took", g.clock.Now().Sub(start))
	g.pending(ctx, log, a.reply, edit)
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
	better, err := shown.Pending(ctx)
	if err != nil {
		g.logError(log, err)
		return
	}
	better.Private = shown.Private
	if err := edit(ctx, better); err != nil {
		log.Error("could not edit in the rephrased answer", "err", err)
	}
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
	reply, err := g.handler.Answer(ctx, messageRequest(m))
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
	better, err := reply.Pending(ctx)
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
