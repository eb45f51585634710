package digest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/schedule"
)

// Sender posts a reply as a message of its own, outside any answer: the
// notice that a channel will receive digests, and a digest asked for with
// /digest now. The Discord adapter implements it.
//
// Send posts in channelID, or in the DMs of userID when channelID is "".
// Its errors are *bot.Error with a message that says what to fix: NotFound
// for a channel that does not exist, Forbidden when the bot may not post
// there (or the user takes no DMs from it), Unavailable when Discord is
// busy.
type Sender interface {
	Send(ctx context.Context, channelID, userID string, r *bot.Reply) error
}

// Announcements tells announcement channels, whose messages can be
// published to the channels that follow them, from other channels; the
// Discord adapter implements it. /digest subscribe publish:true asks it.
type Announcements interface {
	// IsAnnouncement reports whether channelID is an announcement
	// channel. Its errors are as Sender's.
	IsAnnouncement(ctx context.Context, channelID string) (bool, error)
}

// Config configures the /digest command. The zero value registers the
// command but schedules nothing: it says digests are not set up.
type Config struct {
	Store  Subscriptions
	Sender Sender
	// Composer makes the digests /digest preview and now show (default:
	// one over the bot's library and rewriter).
	Composer *Composer
	// Clock tells the time schedules start from (default bot.SystemClock).
	Clock bot.Clock
	// MinInterval is the shortest time allowed between two digests of
	// one subscription; 0 allows any.
	MinInterval time.Duration
	// Limit is how many subscriptions one server may have, and one user
	// in their DMs; 0 is no limit.
	Limit int
	// Wake, if set, is called after a subscription is made or resumed, so
	// that the scheduler looks at it at once.
	Wake func()
	// Announcements, if set, lets digests be published from announcement
	// channels (the publish option); without it, publish is refused.
	Announcements Announcements
}

// The /digest subcommands and their options.
const (
	Subscribe = "subscribe"
	List      = "list"
	Remove    = "remove"
	Pause     = "pause"
	Resume    = "resume"
	Preview   = "preview"
	Now       = "now"

	OptChannel   = "channel"
	OptTime      = "time"
	OptTimeZone  = "timezone"
	OptFrequency = "frequency"
	OptCron      = "cron"
	OptID        = "id"
	OptMention   = "mention"
	OptPublish   = "publish"
)

// Register adds /digest to b, answered with cfg, with its line in /help.
// The style and language options come only with a Rewriter that can
// honour them.
func Register(b *bot.Bot, cfg Config) {
	if cfg.Composer == nil {
		cfg.Composer = NewComposer(b.Library(), b.Rewriter())
	}
	if cfg.Clock == nil {
		cfg.Clock = bot.SystemClock{}
	}
	d := &digests{cfg: cfg, compose: cfg.Composer, lib: b.Library()}
	// With several articles, a digest is of one of them.
	var article []bot.CommandOption
	if len(d.lib.Articles()) > 1 {
		article = []bot.CommandOption{{
			Name: bot.OptArticle, Description: "Which article the digest briefs (default: " + bot.Clip(d.lib.Default().ID, 50) + ")",
			Type: bot.OptionString, Autocomplete: true, MaxLength: bot.MaxCommandName,
		}}
	}

	id := []bot.CommandOption{{Name: OptID, Description: "The digest's number, from /digest list", Type: bot.OptionInteger, Required: true}}
	subscribe := []bot.CommandOption{
		{Name: OptTime, Description: "Time of day, HH:MM in 24-hour form, e.g. 08:30", Type: bot.OptionString, MaxLength: 5},
		{Name: OptTimeZone, Description: "Time zone, e.g. Europe/Madrid (default UTC)", Type: bot.OptionString, Autocomplete: true, MaxLength: 64},
		{Name: OptFrequency, Description: "How often (default daily)", Type: bot.OptionString, Choices: []bot.Choice{
			{Name: "Daily", Value: string(schedule.Daily)},
			{Name: "Weekdays, Monday to Friday", Value: string(schedule.Weekdays)},
			{Name: "Weekly, on today's weekday", Value: string(schedule.Weekly)},
		}},
		{Name: OptChannel, Description: "Where to post it (default this channel)", Type: bot.OptionChannel},
		{Name: OptCron, Description: "Instead of time and frequency: a cron expression, e.g. 30 8 * * 1-5", Type: bot.OptionString, MaxLength: 100},
		{Name: OptMention, Description: "A role to ping with each digest (only that role, never everyone)", Type: bot.OptionRole},
		{Name: OptPublish, Description: "In an announcement channel: publish each digest to the servers that follow it", Type: bot.OptionBool},
	}
	subscribe = append(article, subscribe...)
	if b.Rewriter().Enabled() {
		style := bot.CommandOption{Name: bot.OptStyle, Description: "Rewrite the digest: brief, bullet points, simple or formal", Type: bot.OptionString}
		for _, st := range bot.Styles() {
			style.Choices = append(style.Choices, bot.Choice{Name: st.Label(), Value: string(st)})
		}
		subscribe = append(subscribe, style,
			bot.CommandOption{Name: bot.OptLanguage, Description: "Translate the digest, e.g. Español or Русский", Type: bot.OptionString, Autocomplete: true, MaxLength: 40})
	}
	manage := d.manageServer
	b.HandleGroup(bot.Command{
		Name:        bot.CommandDigest,
		Description: "A briefing posted on a schedule, in a channel or in your DMs",
		Permissions: bot.ManageServer,
		Help:        d.help,
		Group:       bot.GroupDigests,
	}, []bot.Subcommand{
		{Name: Subscribe, Description: "Post the digest on a schedule here, in a channel, or in your DMs", Options: subscribe,
			Handler: manage(bot.HandlerFunc(d.subscribe))},
		{Name: List, Description: "The digests here: when each comes next, and whether it is paused",
			Handler: bot.HandlerFunc(d.list)},
		{Name: Remove, Description: "Stop a digest for good", Options: id,
			Handler: manage(d.owning(d.remove))},
		{Name: Pause, Description: "Stop a digest until it is resumed", Options: id,
			Handler: manage(d.owning(d.pause))},
		{Name: Resume, Description: "Start a paused digest again", Options: id,
			Handler: manage(d.owning(d.resume))},
		{Name: Preview, Description: "See the next digest, privately",
			Handler: bot.HandlerFunc(d.preview)},
		{Name: Now, Description: "Post the digest at once", Options: append(article,
			bot.CommandOption{Name: OptChannel, Description: "Where to post it (default this channel)", Type: bot.OptionChannel},
		), Handler: manage(bot.HandlerFunc(d.now))},
	}, d.gate)
}

// digests answers /digest.
type digests struct {
	cfg     Config
	compose *Composer
	lib     *bot.Library
}

// of names the article a digest briefs, for the messages about it, when
// there are several to tell apart: ` of “Title”`, or "".
func (d *digests) of(articleID string) string {
	if len(d.lib.Articles()) < 2 {
		return ""
	}
	a, err := d.lib.Article(articleID)
	if err != nil {
		return " of " + bot.Clip(articleID, 40)
	}
	return " of “" + bot.Clip(a.Title, 80) + "”"
}

func (d *digests) clock() bot.Clock { return d.cfg.Clock }

// help is /digest's line in /help, where it can be used.
func (d *digests) help(src bot.Source) string {
	switch {
	case d.cfg.Store == nil:
		return ""
	case src == bot.FromDM:
		return "`/" + bot.CommandDigest + " subscribe` brings you a digest here every day, at the time you choose; `/" + bot.CommandDigest + " list` shows yours."
	case src == bot.FromGuild || src == bot.FromDigest:
		return "`/" + bot.CommandDigest + " subscribe` posts a digest in a channel on a schedule, and can ping a role with it or publish it from an announcement channel (it takes Manage Server); `/" + bot.CommandDigest + " list` shows the server's digests."
	}
	return ""
}

func (d *digests) wake() {
	if d.cfg.Wake != nil {
		d.cfg.Wake()
	}
}

// gate answers what every subcommand shares: autocompletes, and a refusal
// outside Discord or when digests are not set up.
func (d *digests) gate(next bot.Handler) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
		if r.Kind == bot.KindAutocomplete {
			return d.complete(r), nil
		}
		if r.Source == bot.FromConsole || r.Source == bot.FromDigest {
			return nil, bot.Errorf(bot.Invalid, "Digests are for Discord: use /digest in a server, or in a DM with briefbot for a digest of your own.")
		}
		if d.cfg.Store == nil || d.cfg.Sender == nil {
			return nil, bot.Errorf(bot.Unavailable, "Scheduled digests are not set up on this bot.")
		}
		return next.Answer(ctx, r)
	})
}

// manageServer refuses members without Manage Server in a server: the
// permission is the command's default, which a server can lift.
func (d *digests) manageServer(next bot.Handler) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
		if r.GuildID != "" && !r.Permissions.Has(bot.ManageServer) {
			return nil, bot.Errorf(bot.Forbidden, "Only members with the Manage Server permission can %s digests in this server. Anyone can see them with /digest list, or get a digest of their own in a DM with briefbot.", verb(r.Subcommand))
		}
		return next.Answer(ctx, r)
	})
}

// owning answers a subcommand on the subscription its id option names,
// which must be the asker's.
func (d *digests) owning(f func(ctx context.Context, r *bot.Request, sub Subscription) (*bot.Reply, error)) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
		id, err := digestID(r.Option(OptID))
		if err != nil {
			return nil, err
		}
		sub, err := d.owned(ctx, r, id)
		if err != nil {
			return nil, err
		}
		return f(ctx, r, sub)
	})
}

// verb says what a subcommand does to digests, for the refusal.
func verb(sub string) string {
	switch sub {
	case Subscribe:
		return "set up"
	case Now:
		return "post"
	}
	return sub
}

func (d *digests) complete(r *bot.Request) *bot.Reply {
	switch r.Focused {
	case bot.OptLanguage:
		return bot.CompleteLanguage(r)
	case bot.OptArticle:
		return bot.CompleteArticle(d.lib, r)
	}
	reply := &bot.Reply{Choices: []bot.Choice{}}
	if r.Focused == OptTimeZone {
		for _, z := range schedule.SuggestTimeZones(r.Option(OptTimeZone), bot.MaxChoices) {
			reply.Choices = append(reply.Choices, bot.Choice{Name: z, Value: z})
		}
	}
	return reply
}

// digestID reads the id option.
func digestID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, bot.Errorf(bot.Invalid, "The id is the number /digest list shows for a digest, such as 3 (got %q).", bot.Clip(s, 20))
	}
	return id, nil
}

// mine returns the subscriptions of the asker's scope: the server's, or in
// a DM the asker's own.
func (d *digests) mine(ctx context.Context, r *bot.Request) ([]Subscription, error) {
	if r.GuildID != "" {
		return d.cfg.Store.GuildSubscriptions(ctx, r.GuildID)
	}
	return d.cfg.Store.UserSubscriptions(ctx, r.User.ID)
}

// owned returns subscription id if it belongs to the asker's scope. The
// Store does not scope ids, so a server cannot touch another's digests, nor
// anyone another member's DM digest; both look like an unknown id.
func (d *digests) owned(ctx context.Context, r *bot.Request, id int64) (Subscription, error) {
	sub, err := d.cfg.Store.Subscription(ctx, id)
	mine := err == nil && (r.GuildID != "" && sub.GuildID == r.GuildID || r.GuildID == "" && sub.DM() && sub.UserID == r.User.ID)
	if err != nil && bot.KindOf(err) != bot.NotFound {
		return Subscription{}, err
	}
	if !mine {
		where := "this server's digests"
		if r.GuildID == "" {
			where = "your digests"
		}
		return Subscription{}, bot.Errorf(bot.NotFound, "There is no digest %d here. /digest list shows %s and their numbers.", id, where)
	}
	return sub, nil
}

func (d *digests) subscribe(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
	mk := bot.MarkupFor(r)
	now := d.clock().Now()
	channel := r.Option(OptChannel)
	switch {
	case r.GuildID == "" && channel != "":
		return nil, bot.Errorf(bot.Invalid, "In a DM the digest comes to you here, so leave out the channel option. To post in a server's channel, use /digest subscribe in that server.")
	case r.GuildID != "" && channel == "":
		channel = r.ChannelID
	}
	freq, cron := r.Option(OptFrequency), r.Option(OptCron)
	if freq != "" && cron != "" {
		return nil, bot.Errorf(bot.Invalid, "Give a frequency or a cron expression, not both: the cron expression sets the days and the time.")
	}
	sched, err := schedule.Parse(schedule.Spec{Frequency: schedule.Frequency(freq), Time: r.Option(OptTime), TimeZone: r.Option(OptTimeZone), Cron: cron}, now)
	if err != nil {
		return nil, sentence(err)
	}
	if err := sched.CheckInterval(now, d.cfg.MinInterval); err != nil {
		return nil, sentence(err)
	}
	style, lang, err := bot.ParseStyleAndLanguage(r.Option(bot.OptStyle), r.Option(bot.OptLanguage))
	if err != nil {
		return nil, err
	}
	// The article is kept by id, so the digest stays with it even if
	// another article becomes the default.
	article, err := d.lib.Article(r.Option(bot.OptArticle))
	if err != nil {
		return nil, err
	}
	dm := r.GuildID == ""
	role, err := d.mentionRole(r)
	if err != nil {
		return nil, err
	}
	publish, err := d.publish(ctx, r, channel)
	if err != nil {
		return nil, err
	}
	existing, err := d.mine(ctx, r)
	if err != nil {
		return nil, err
	}
	if d.cfg.Limit > 0 && len(existing) >= d.cfg.Limit {
		return nil, ErrSubscriptionLimit(dm, d.cfg.Limit)
	}
	for _, s := range existing {
		if s.ChannelID == channel && s.Schedule.Equal(sched) && d.sameArticle(s.ArticleID, article.ID) {
			return nil, bot.Errorf(bot.Conflict, "Digest %d%s already comes %s %s. /digest list shows it.", s.ID, d.of(article.ID), sched, destination(mk, &s))
		}
	}
	next := sched.Next(now).UTC()

	// Posting the notice is the test that the bot may post there: if
	// Discord refuses it, nothing is stored and the error says what to fix.
	var notice string
	if dm {
		notice = fmt.Sprintf("📰 You will receive the briefbot digest%s here %s. The first comes %s. /digest list shows your digests.", d.of(article.ID), sched, mk.Time(next))
	} else {
		notice = fmt.Sprintf("📰 This channel will receive the briefbot digest%s %s, set up by %s. The first comes %s.", d.of(article.ID), sched, bot.Clip(r.User.Name, 40), mk.Time(next))
		if extras := options(mk, role, publish); extras != "" {
			notice += " Each digest " + extras + "."
		}
	}
	userID := ""
	if dm {
		userID = r.User.ID
	}
	if err := d.cfg.Sender.Send(ctx, channel, userID, &bot.Reply{Content: notice}); err != nil {
		return nil, err
	}
	sub, err := d.cfg.Store.CreateSubscription(ctx, Subscription{
		GuildID: r.GuildID, ChannelID: channel, UserID: r.User.ID, Schedule: sched, ArticleID: article.ID,
		Style: string(style), Language: lang.Code, MentionRoleID: role, Publish: publish,
		NextRun: next, CreatedAt: now,
	}, d.cfg.Limit)
	if err != nil {
		return nil, err
	}
	d.wake()
	return &bot.Reply{Private: true, Content: fmt.Sprintf("Digest %d%s set up: %s %s. The first comes %s. /digest preview shows what it will look like; /digest pause id:%d stops it for a while.",
		sub.ID, d.of(article.ID), sched, destination(mk, &sub), mk.Time(next), sub.ID)}, nil
}

// sameArticle reports whether two article ids of subscriptions name the
// same article: "" is the default one, as subscriptions made before there
// were several articles have it.
func (d *digests) sameArticle(x, y string) bool {
	a, errA := d.lib.Article(x)
	b, errB := d.lib.Article(y)
	if errA != nil || errB != nil {
		return x == y
	}
	return a == b
}

func (d *digests) list(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
	mk := bot.MarkupFor(r)
	subs, err := d.mine(ctx, r)
	if err != nil {
		return nil, err
	}
	title := "Digests in this server"
	if r.GuildID == "" {
		title = "Your digests"
	}
	if len(subs) == 0 {
		how := "/digest subscribe sets one up (it takes the Manage Server permission)."
		if r.GuildID == "" {
			how = "/digest subscribe sets one up, here in your DMs."
		}
		return &bot.Reply{Private: true, Content: "There are no digests here yet. " + how}, nil
	}
	var body strings.Builder
	for i, s := range subs {
		line := fmt.Sprintf("**%d**%s · %s %s", s.ID, d.of(s.ArticleID), s.Schedule, destination(mk, &s))
		if extras := options(mk, s.MentionRoleID, s.Publish); extras != "" {
			line += " · " + extras
		}
		entry := line + "\n" + digestState(mk, &s) + "\n\n"
		if bot.Len(body.String())+bot.Len(entry) > bot.MaxEmbedDescription-40 {
			fmt.Fprintf(&body, "…and %d more.", len(subs)-i)
			break
		}
		body.WriteString(entry)
	}
	return &bot.Reply{
		Private: true,
		Title:   title,
		Body:    strings.TrimSpace(body.String()),
		Footer:  "Times are shown in your own time zone. /digest pause, resume and remove take the number.",
	}, nil
}

// digestState is a subscription's second line in /digest list: when it
// comes next, or why it does not.
func digestState(mk bot.Markup, s *Subscription) string {
	switch {
	case s.State == SubscriptionActive:
		return "Next: " + mk.Time(s.NextRun) + " · active"
	case s.PauseReason != "":
		return fmt.Sprintf("⏸ Paused by briefbot: %s Fix that, then /digest resume id:%d.", strings.TrimRight(s.PauseReason, ".")+".", s.ID)
	default:
		return fmt.Sprintf("⏸ Paused. /digest resume id:%d starts it again.", s.ID)
	}
}

// options says what a digest does besides being posted: "pings @role and
// is published to the channels that follow this one", or "".
func options(mk bot.Markup, role string, publish bool) string {
	var parts []string
	if role != "" {
		parts = append(parts, "pings "+mk.Role(role))
	}
	if publish {
		parts = append(parts, "is published to the channels that follow this one")
	}
	return strings.Join(parts, " and ")
}

// mentionRole reads the mention option: the role each digest pings, which
// the bot must be allowed to ping. Never @everyone, which the option
// would let a server pick.
func (d *digests) mentionRole(r *bot.Request) (string, error) {
	id := r.Option(OptMention)
	switch {
	case id == "":
		return "", nil
	case r.GuildID == "":
		return "", bot.Errorf(bot.Invalid, "In a DM the digest comes to you alone, so there is no role to ping: leave out the mention option.")
	case id == r.GuildID:
		return "", bot.Errorf(bot.Invalid, "A digest pings one role, never @everyone: pick a role, or make one for the readers who want the ping.")
	}
	role, ok := r.Roles[id]
	if !ok {
		return "", bot.Errorf(bot.Invalid, "I can't find that role. Pick it from the list Discord offers as you type mention:.")
	}
	if !role.Mentionable && !r.AppPermissions.Has(bot.MentionEveryone) {
		return "", bot.Errorf(bot.Forbidden, "briefbot may not ping @%s: the role does not let anyone mention it, and briefbot lacks the Mention @everyone, @here, and All Roles permission. Turn on \"Allow anyone to @mention this role\" (Server Settings → Roles → %s), or give briefbot that permission, then try again.",
			bot.Clip(role.Name, 40), bot.Clip(role.Name, 40))
	}
	return id, nil
}

// publish reads the publish option: digests can be published only from an
// announcement channel.
func (d *digests) publish(ctx context.Context, r *bot.Request, channel string) (bool, error) {
	publish, err := r.Bool(OptPublish)
	if err != nil || !publish {
		return false, err
	}
	if r.GuildID == "" {
		return false, bot.Errorf(bot.Invalid, "In a DM there is nothing to publish to: leave out the publish option.")
	}
	if d.cfg.Announcements == nil {
		return false, bot.Errorf(bot.Unavailable, "Publishing digests is not set up on this bot: leave out the publish option.")
	}
	ok, err := d.cfg.Announcements.IsAnnouncement(ctx, channel)
	if err != nil {
		return false, err
	}
	if !ok {
		return false, bot.Errorf(bot.Invalid, "%s is not an announcement channel, so there is nothing to publish to. Pick an announcement channel (or make this one one: Edit Channel → Overview → Announcement Channel), or leave out publish.", bot.MarkupFor(r).Channel(channel))
	}
	return true, nil
}

// destination says where a subscription posts: "in <#123>" or "in your
// DMs".
func destination(mk bot.Markup, s *Subscription) string {
	if s.DM() {
		return "in your DMs"
	}
	return "in " + mk.Channel(s.ChannelID)
}

func (d *digests) preview(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
	mk := bot.MarkupFor(r)
	subs, err := d.mine(ctx, r)
	if err != nil {
		return nil, err
	}
	// The next to come: the active one due first, else any.
	var next *Subscription
	for i := range subs {
		s := &subs[i]
		if next == nil || s.State == SubscriptionActive && (next.State != SubscriptionActive || s.NextRun.Before(next.NextRun)) {
			next = s
		}
	}
	var reply *bot.Reply
	var line string
	if next == nil {
		reply, err = d.compose.Digest(ctx, Request{GuildID: r.GuildID, UserID: r.User.ID})
		line = "No digest comes here yet; this is what one looks like. /digest subscribe sets one up."
	} else {
		reply, err = d.compose.Subscription(ctx, next)
		line = fmt.Sprintf("Digest %d, due %s %s:", next.ID, mk.Time(next.NextRun), destination(mk, next))
		if next.State != SubscriptionActive {
			line = fmt.Sprintf("Digest %d, paused, would post %s:", next.ID, destination(mk, next))
		}
	}
	if err != nil {
		return nil, err
	}
	copied := *reply
	copied.Content = strings.TrimSpace(line + "\n" + reply.Content)
	copied.Private = true
	return &copied, nil
}

func (d *digests) now(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
	mk := bot.MarkupFor(r)
	channel := r.Option(OptChannel)
	if r.GuildID == "" && channel != "" {
		return nil, bot.Errorf(bot.Invalid, "In a DM the digest comes to you here, so leave out the channel option.")
	}
	if channel == "" {
		channel = r.ChannelID
	}
	subs, err := d.mine(ctx, r)
	if err != nil {
		return nil, err
	}
	// The channel's own digest if it has one (its style, its rotation);
	// else the section of the day goes by the calendar.
	req := Request{Rotation: d.clock().Now().Unix() / 86400, GuildID: r.GuildID, UserID: r.User.ID}
	for i := range subs {
		if r.GuildID == "" || subs[i].ChannelID == channel {
			if req, err = subs[i].Request(); err != nil {
				return nil, err
			}
			break
		}
	}
	if id := r.Option(bot.OptArticle); id != "" {
		if _, err := d.lib.Article(id); err != nil {
			return nil, err
		}
		req.ArticleID = id
	}
	reply, err := d.compose.Digest(ctx, req)
	if err != nil {
		return nil, err
	}
	if r.GuildID == "" {
		return reply, nil // in a DM, the answer is the digest
	}
	if err := d.cfg.Sender.Send(ctx, channel, "", reply); err != nil {
		return nil, err
	}
	return &bot.Reply{Private: true, Content: "Posted the digest in " + mk.Channel(channel) + "."}, nil
}

func (d *digests) remove(ctx context.Context, r *bot.Request, sub Subscription) (*bot.Reply, error) {
	mk := bot.MarkupFor(r)
	if err := d.cfg.Store.DeleteSubscription(ctx, sub.ID); err != nil {
		return nil, err
	}
	return &bot.Reply{Private: true, Content: fmt.Sprintf("Digest %d removed: no more digests %s %s.", sub.ID, sub.Schedule, destination(mk, &sub))}, nil
}

func (d *digests) pause(ctx context.Context, r *bot.Request, sub Subscription) (*bot.Reply, error) {
	mk := bot.MarkupFor(r)
	if sub.State == SubscriptionPaused {
		return &bot.Reply{Private: true, Content: fmt.Sprintf("Digest %d is paused already. /digest resume id:%d starts it again.", sub.ID, sub.ID)}, nil
	}
	if _, err := d.cfg.Store.PauseSubscription(ctx, sub.ID, ""); err != nil {
		return nil, err
	}
	return &bot.Reply{Private: true, Content: fmt.Sprintf("Digest %d paused: nothing more %s until /digest resume id:%d.", sub.ID, destination(mk, &sub), sub.ID)}, nil
}

func (d *digests) resume(ctx context.Context, r *bot.Request, sub Subscription) (*bot.Reply, error) {
	mk := bot.MarkupFor(r)
	if sub.State == SubscriptionActive {
		return &bot.Reply{Private: true, Content: fmt.Sprintf("Digest %d is active already. The next comes %s.", sub.ID, mk.Time(sub.NextRun))}, nil
	}
	now := d.clock().Now()
	next := sub.Schedule.Next(now)
	// The notice checks that whatever paused the digest is mended.
	notice := fmt.Sprintf("📰 The briefbot digest resumes here, %s. The next comes %s.", sub.Schedule, mk.Time(next))
	if err := d.cfg.Sender.Send(ctx, sub.ChannelID, sub.UserID, &bot.Reply{Content: notice}); err != nil {
		return nil, err
	}
	resumed, err := d.cfg.Store.ResumeSubscription(ctx, sub.ID, now)
	if err != nil {
		return nil, err
	}
	d.wake()
	return &bot.Reply{Private: true, Content: fmt.Sprintf("Digest %d resumed: %s %s. The next comes %s.", sub.ID, sub.Schedule, destination(mk, &sub), mk.Time(resumed.NextRun))}, nil
}

// sentence turns an error of package schedule into the bot.Invalid error the
// person who typed the schedule sees: its text made a sentence, since the
// schedule parser's messages start in lower case and end without a stop.
func sentence(err error) error {
	msg := err.Error()
	first, n := utf8.DecodeRuneInString(msg)
	msg = string(unicode.ToUpper(first)) + msg[n:]
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "?") {
		msg += "."
	}
	return &bot.Error{Kind: bot.Invalid, Message: msg, Err: errors.Unwrap(err)}
}
