package discordtest

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/clocktest"
	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"
)

// interactions opens a session that forwards every interaction it gets.
func interactions(t *testing.T, srv *Server, setup func(*discordgo.Session)) (*discordgo.Session, <-chan *discordgo.InteractionCreate) {
	t.Helper()
	ch := make(chan *discordgo.InteractionCreate, 16)
	s := openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { ch <- i })
		if setup != nil {
			setup(s)
		}
	})
	return s, ch
}

func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

func restError(t *testing.T, err error) *discordgo.RESTError {
	t.Helper()
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		t.Fatalf("error = %v (%T), want *discordgo.RESTError", err, err)
	}
	return re
}

func TestSlashCommandRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	s, got := interactions(t, srv, nil)

	sent := srv.DispatchCommand(Command{
		Origin: Origin{GuildID: srv.Guild().ID, Permissions: BasicPermissions | 1<<3, AppPermissions: BasicPermissions, Locale: "de"},
		Name:   "article",
		Options: []CommandOption{
			{Name: "topic", Value: "gateway"},
			{Name: "count", Value: 3},
			{Name: "public", Value: true},
		},
	})
	i := recv(ctx, t, got, "INTERACTION_CREATE")
	if i.ID != sent.ID || i.Token != sent.Token || i.AppID != srv.AppID() || i.Type != discordgo.InteractionApplicationCommand {
		t.Fatalf("interaction = %+v, want %+v", i.Interaction, sent)
	}
	if i.GuildID != srv.Guild().ID || i.ChannelID != srv.Channel().ID || i.Locale != "de" {
		t.Errorf("context = guild %s channel %s locale %s", i.GuildID, i.ChannelID, i.Locale)
	}
	if i.Member == nil || i.Member.User.ID != srv.Human().ID || i.Member.Permissions != BasicPermissions|1<<3 || i.User != nil {
		t.Errorf("member = %+v user = %+v", i.Member, i.User)
	}
	if i.AppPermissions != BasicPermissions {
		t.Errorf("app permissions = %d", i.AppPermissions)
	}
	data := i.ApplicationCommandData()
	if data.Name != "article" || data.GetOption("topic").StringValue() != "gateway" ||
		data.GetOption("count").IntValue() != 3 || !data.GetOption("public").BoolValue() {
		t.Errorf("data = %+v", data)
	}

	err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "Here it is", AllowedMentions: noMentions()},
	})
	if err != nil {
		t.Fatal(err)
	}
	cb := must[Callback](t)(srv.WaitCallback(ctx, sent.ID))
	if cb.Type != CallbackMessage || cb.Content != "Here it is" {
		t.Errorf("callback = %+v", cb)
	}
	orig, ok := srv.Original(sent.ID)
	if !ok || orig.Content != "Here it is" || orig.ChannelID != srv.Channel().ID || orig.Kind != KindOriginal {
		t.Errorf("original = %+v", orig)
	}
	if lat, ok := srv.Latency(sent.ID); !ok || lat <= 0 {
		t.Errorf("latency = %v, %v", lat, ok)
	}
	reqs := srv.InteractionRequests(sent.ID)
	if len(reqs) != 1 || reqs[0].Route != "POST /interactions/{id}/{token}/callback" || reqs[0].Status != http.StatusNoContent {
		t.Fatalf("requests = %+v", reqs)
	}
	if am, ok := reqs[0].AllowedMentions(); !ok || string(am) != `{"parse":[],"replied_user":false}` {
		t.Errorf("allowed_mentions = %s", am)
	}
	if ua := reqs[0].Header.Get("User-Agent"); !strings.HasPrefix(ua, "DiscordBot (") {
		t.Errorf("User-Agent = %q", ua)
	}
	if reqs[0].Header.Get("Authorization") != "" {
		t.Error("recorded headers keep Authorization")
	}
}

func TestDMInteractionHasUserNotMember(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	_, got := interactions(t, srv, nil)
	bob := srv.AddUser(User{Username: "bob"})
	sent := srv.DispatchCommand(Command{Origin: Origin{User: bob}, Name: "help"})
	i := recv(ctx, t, got, "INTERACTION_CREATE")
	if i.GuildID != "" || i.Member != nil || i.User == nil || i.User.ID != bob.ID {
		t.Errorf("guild %q member %+v user %+v", i.GuildID, i.Member, i.User)
	}
	if i.ChannelID != srv.DMChannel(bob.ID) || i.ChannelID != sent.ChannelID {
		t.Errorf("channel %s, want bob's DM", i.ChannelID)
	}
	if i.Context != discordgo.InteractionContextBotDM {
		t.Errorf("context = %d", i.Context)
	}
}

func TestSecondCallbackIsRejected(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	s, got := interactions(t, srv, nil)
	srv.DispatchCommand(Command{Name: "ping"})
	i := recv(ctx, t, got, "INTERACTION_CREATE")
	defer1 := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if err := s.InteractionRespond(i.Interaction, defer1); err != nil {
		t.Fatal(err)
	}
	err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "again"},
	})
	re := restError(t, err)
	if re.Response.StatusCode != http.StatusBadRequest || re.Message == nil || re.Message.Code != discordgo.ErrCodeInteractionHasAlreadyBeenAcknowledged {
		t.Errorf("second callback: %v", err)
	}
	if cb, _ := srv.Callback(i.ID); cb.Type != CallbackDeferredMessage {
		t.Errorf("accepted callback = %+v, want the first", cb)
	}
}

func TestCallbackAfterWindowIsUnknown(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	clock := clocktest.New(time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC))
	srv := New(t, WithClock(clock.Now))
	s, got := interactions(t, srv, nil)
	srv.DispatchCommand(Command{Name: "slow"})
	i := recv(ctx, t, got, "INTERACTION_CREATE")
	clock.Advance(DefaultInteractionWindow + time.Millisecond)
	err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
	re := restError(t, err)
	if re.Response.StatusCode != http.StatusNotFound || re.Message.Code != discordgo.ErrCodeUnknownInteraction {
		t.Errorf("late callback: %v", err)
	}
	if _, ok := srv.Callback(i.ID); ok {
		t.Error("late callback was accepted")
	}
}

// The shape the core's transport produces: defer, edit the original,
// follow up. Every payload carries allowed_mentions with an empty parse.
func TestDeferEditFollowupInOrder(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	s, got := interactions(t, srv, nil)
	sent := srv.DispatchCommand(Command{Origin: Origin{GuildID: srv.Guild().ID}, Name: "digest"})
	i := recv(ctx, t, got, "INTERACTION_CREATE")

	if err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()},
	}); err != nil {
		t.Fatal(err)
	}
	if m, _ := srv.Original(sent.ID); m.Flags != FlagLoading|FlagEphemeral {
		t.Errorf("deferred original flags = %d, want loading|ephemeral", m.Flags)
	}
	content := "Done <@" + srv.Human().ID + ">"
	edited, err := s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}
	if edited.Content != content || edited.ID == "" {
		t.Errorf("edit answered %+v", edited)
	}
	f, err := s.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{Content: "more", AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}
	if f == nil || f.Content != "more" {
		t.Errorf("follow-up answered %+v", f)
	}
	if _, err := s.InteractionResponse(i.Interaction); err != nil {
		t.Errorf("GET @original: %v", err)
	}

	orig, _ := srv.Original(sent.ID)
	if orig.Content != content || orig.Flags != FlagEphemeral || orig.Edits != 1 {
		t.Errorf("original = %+v", orig)
	}
	if fs := srv.Followups(sent.ID); len(fs) != 1 || fs[0].Content != "more" {
		t.Errorf("follow-ups = %+v", fs)
	}
	var routes []string
	for _, r := range srv.InteractionRequests(sent.ID) {
		routes = append(routes, r.Route)
		if r.Method == http.MethodGet {
			continue
		}
		if am, ok := r.AllowedMentions(); !ok || !strings.Contains(string(am), `"parse":[]`) {
			t.Errorf("%s carries allowed_mentions %s", r.Route, am)
		}
	}
	want := []string{
		"POST /interactions/{id}/{token}/callback",
		"PATCH /webhooks/{app}/{token}/messages/{msg}",
		"POST /webhooks/{app}/{token}",
		"GET /webhooks/{app}/{token}/messages/{msg}",
	}
	if diff := cmp.Diff(want, routes); diff != "" {
		t.Errorf("request order (-want +got):\n%s", diff)
	}
}

func TestWebhookBeforeAcknowledgement(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	s, got := interactions(t, srv, nil)
	srv.DispatchCommand(Command{Name: "x"})
	i := recv(ctx, t, got, "INTERACTION_CREATE")
	_, err := s.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{Content: "too early"})
	if re := restError(t, err); re.Response.StatusCode != http.StatusNotFound || re.Message.Code != discordgo.ErrCodeUnknownWebhook {
		t.Errorf("follow-up before ack: %v", err)
	}
	content := "too early"
	_, err = s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{Content: &content})
	if re := restError(t, err); re.Message.Code != discordgo.ErrCodeUnknownWebhook {
		t.Errorf("edit before ack: %v", err)
	}
}

func TestCallbackValidation(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 2001)
	tooMany := make([]*discordgo.ApplicationCommandOptionChoice, 26)
	for i := range tooMany {
		tooMany[i] = &discordgo.ApplicationCommandOptionChoice{Name: "c", Value: "c"}
	}
	tests := []struct {
		name     string
		dispatch func(*Server) Interaction
		resp     *discordgo.InteractionResponse
		code     int
	}{
		{"content over 2000", commandOf("a"), &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: long}}, discordgo.ErrCodeInvalidFormBody},
		{"empty message", commandOf("a"), &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{}}, discordgo.ErrCodeCannotSendEmptyMessage},
		{"update on a command", commandOf("a"), &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseUpdateMessage,
			Data: &discordgo.InteractionResponseData{Content: "x"}}, discordgo.ErrCodeInvalidFormBody},
		{"message to autocomplete", autocompleteOf("a"), &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "x"}}, discordgo.ErrCodeInvalidFormBody},
		{"26 choices", autocompleteOf("a"), &discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: tooMany}}, discordgo.ErrCodeInvalidFormBody},
		{"custom_id over 100", commandOf("a"), &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "x", Components: []discordgo.MessageComponent{
				discordgo.ActionsRow{Components: []discordgo.MessageComponent{
					discordgo.Button{Label: "b", Style: discordgo.PrimaryButton, CustomID: strings.Repeat("x", 101)},
				}},
			}}}, discordgo.ErrCodeInvalidFormBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := testContext(t)
			srv := New(t)
			s, got := interactions(t, srv, nil)
			tt.dispatch(srv)
			i := recv(ctx, t, got, "INTERACTION_CREATE")
			err := s.InteractionRespond(i.Interaction, tt.resp)
			re := restError(t, err)
			if re.Response.StatusCode != http.StatusBadRequest || re.Message.Code != tt.code {
				t.Errorf("got %v, want 400 code %d", err, tt.code)
			}
			if _, ok := srv.Callback(i.ID); ok {
				t.Error("an invalid callback acknowledged the interaction")
			}
		})
	}
}

func commandOf(name string) func(*Server) Interaction {
	return func(s *Server) Interaction { return s.DispatchCommand(Command{Name: name}) }
}

func autocompleteOf(name string) func(*Server) Interaction {
	return func(s *Server) Interaction {
		return s.DispatchAutocomplete(Command{Name: name, Options: []CommandOption{{Name: "q", Value: "go", Focused: true}}})
	}
}

func TestAutocomplete(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	s, got := interactions(t, srv, nil)
	sent := srv.DispatchAutocomplete(Command{Origin: Origin{GuildID: srv.Guild().ID}, Name: "article",
		Options: []CommandOption{{Name: "title", Value: "gat", Focused: true}}})
	i := recv(ctx, t, got, "INTERACTION_CREATE")
	opt := i.ApplicationCommandData().GetOption("title")
	if i.Type != discordgo.InteractionApplicationCommandAutocomplete || !opt.Focused || opt.StringValue() != "gat" {
		t.Fatalf("autocomplete = %+v, option %+v", i.Interaction, opt)
	}
	err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "Gateway", Value: "gateway"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	cb := must[Callback](t)(srv.WaitCallback(ctx, sent.ID))
	var data struct {
		Choices []struct{ Name, Value string }
	}
	json.Unmarshal(cb.Data, &data)
	if len(data.Choices) != 1 || data.Choices[0].Value != "gateway" {
		t.Errorf("choices = %s", cb.Data)
	}
}

func TestComponents(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	s, got := interactions(t, srv, nil)

	// The bot posts a message with a button; the user clicks it.
	posted, err := s.ChannelMessageSendComplex(srv.Channel().ID, &discordgo.MessageSend{
		Content: "Read more?",
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "More", Style: discordgo.PrimaryButton, CustomID: "v1:more:42"},
		}}},
		AllowedMentions: noMentions(),
	})
	if err != nil {
		t.Fatal(err)
	}
	click := srv.DispatchComponent(Component{Origin: Origin{GuildID: srv.Guild().ID}, CustomID: "v1:more:42", MessageID: posted.ID})
	i := recv(ctx, t, got, "button click")
	d := i.MessageComponentData()
	if d.CustomID != "v1:more:42" || d.ComponentType != discordgo.ButtonComponent || i.Message == nil || i.Message.ID != posted.ID {
		t.Fatalf("click = %+v message %+v", d, i.Message)
	}
	updated := "Here is more"
	if err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Content: updated, Components: []discordgo.MessageComponent{}, AllowedMentions: noMentions()},
	}); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages(srv.Channel().ID)
	if len(msgs) != 1 || msgs[0].Content != updated || msgs[0].Edits != 1 || string(msgs[0].Components) != "[]" {
		t.Errorf("messages after update = %+v", msgs)
	}
	if o, _ := srv.Original(click.ID); o.ID != posted.ID {
		t.Errorf("@original of the click = %s, want the clicked message", o.ID)
	}

	// A select menu on a fresh message, in a DM.
	srv.DispatchComponent(Component{CustomID: "v1:pick", Values: []string{"a", "b"}})
	i = recv(ctx, t, got, "select")
	d = i.MessageComponentData()
	if d.ComponentType != discordgo.SelectMenuComponent || !cmp.Equal(d.Values, []string{"a", "b"}) || i.User == nil {
		t.Errorf("select = %+v user %+v", d, i.User)
	}
	if err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}); err != nil {
		t.Fatal(err)
	}
}

func TestRateLimitedCallbackIsRetriedByDiscordgo(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	var mu sync.Mutex
	var limits []*discordgo.RateLimit
	s, got := interactions(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, r *discordgo.RateLimit) {
			mu.Lock()
			limits = append(limits, r)
			mu.Unlock()
		})
	})
	srv.Inject(RateLimit("POST", "/interactions/*/*/callback", 50*time.Millisecond, false))
	sent := srv.DispatchCommand(Command{Name: "busy"})
	i := recv(ctx, t, got, "INTERACTION_CREATE")
	if err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
		t.Fatalf("InteractionRespond after one 429 = %v, want discordgo to retry", err)
	}
	reqs := srv.InteractionRequests(sent.ID)
	if len(reqs) != 2 || reqs[0].Status != http.StatusTooManyRequests || !reqs[0].Fault || reqs[1].Status != http.StatusNoContent {
		t.Errorf("requests = %d: %+v", len(reqs), reqs)
	}
	if reqs[0].Response == nil || !strings.Contains(string(reqs[0].Response), `"retry_after":0.05`) {
		t.Errorf("429 body = %s", reqs[0].Response)
	}
	mu.Lock()
	defer mu.Unlock()
	// The RateLimit event is emitted synchronously before the retry.
	if len(limits) != 1 || limits[0].RetryAfter != 50*time.Millisecond {
		t.Errorf("RateLimit events = %+v", limits)
	}
}

func TestRateLimitWithoutRetry(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	s, got := interactions(t, srv, func(s *discordgo.Session) { s.ShouldRetryOnRateLimit = false })
	srv.Inject(RateLimit("POST", "/interactions/*/*/callback", 2*time.Second, false))
	srv.DispatchCommand(Command{Name: "busy"})
	i := recv(ctx, t, got, "INTERACTION_CREATE")
	err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
	var rl *discordgo.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second {
		t.Fatalf("err = %v (%T), want *discordgo.RateLimitError", err, err)
	}
}

func TestServerErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status    int
		times     int
		wantErr   bool
		wantTries int
	}{
		// discordgo retries 502 alone, MaxRestRetries (3) times.
		{http.StatusBadGateway, 3, false, 4},
		{http.StatusBadGateway, 4, true, 4},
		{http.StatusInternalServerError, 1, true, 1},
		{http.StatusServiceUnavailable, 1, true, 1},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			t.Parallel()
			srv := New(t)
			s := srv.Session(srv.Token())
			f := ServerError("POST", "/channels/*/messages", tt.status)
			f.Times = tt.times
			srv.Inject(f)
			_, err := s.ChannelMessageSend(srv.Channel().ID, "hello")
			if (err != nil) != tt.wantErr {
				t.Errorf("err = %v, want error %v", err, tt.wantErr)
			}
			tries := 0
			for _, r := range srv.Requests() {
				if r.Route == "POST /channels/{channel}/messages" || r.Fault {
					tries++
				}
			}
			if tries != tt.wantTries {
				t.Errorf("%d tries, want %d", tries, tt.wantTries)
			}
		})
	}
}

func TestHoldKeepsARequestInFlight(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	s, got := interactions(t, srv, nil)
	release := srv.Hold("POST", "/interactions/*/*/callback")
	sent := srv.DispatchCommand(Command{Name: "slow"})
	i := recv(ctx, t, got, "INTERACTION_CREATE")
	done := make(chan error, 1)
	go func() {
		done <- s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
	}()
	held, err := srv.WaitArrived(ctx, func(r Request) bool { return r.Route == "POST /interactions/{id}/{token}/callback" })
	if err != nil {
		t.Fatal(err)
	}
	if held.Status != 0 {
		t.Fatalf("held request answered %d", held.Status)
	}
	if _, ok := srv.Callback(sent.ID); ok {
		t.Fatal("held callback was accepted")
	}
	release()
	if err := recv(ctx, t, done, "InteractionRespond"); err != nil {
		t.Fatal(err)
	}
	must[Callback](t)(srv.WaitCallback(ctx, sent.ID))
}

// discordgo puts every webhook message GET, edit and delete in one
// rate-limit bucket, whatever the interaction (restapi.go WebhookMessage*,
// bucket EndpointWebhookToken("", "")), and holds the bucket for the whole
// request: a slow edit of one interaction's response delays the edits of
// all others.
func TestWebhookEditsShareOneBucket(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	s, got := interactions(t, srv, nil)
	var is []*discordgo.InteractionCreate
	for _, name := range []string{"a", "b"} {
		srv.DispatchCommand(Command{Name: name})
		i := recv(ctx, t, got, name)
		if err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
			t.Fatal(err)
		}
		is = append(is, i)
	}
	release := srv.Hold("PATCH", "/webhooks/*/"+is[0].Token+"/messages/@original")
	content := "done"
	edit := func(i *discordgo.InteractionCreate, done chan<- error) {
		_, err := s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{Content: &content})
		done <- err
	}
	doneA, doneB := make(chan error, 1), make(chan error, 1)
	go edit(is[0], doneA)
	if _, err := srv.WaitArrived(ctx, func(r Request) bool { return r.Method == "PATCH" }); err != nil {
		t.Fatal(err)
	}
	go edit(is[1], doneB)
	release()
	for _, done := range []chan error{doneA, doneB} {
		if err := recv(ctx, t, done, "edit"); err != nil {
			t.Fatal(err)
		}
	}
	a := srv.InteractionRequests(is[0].ID)[1]
	b := srv.InteractionRequests(is[1].ID)[1]
	if b.Time.Before(a.Done) {
		t.Errorf("edit B arrived at %v, before edit A was answered at %v", b.Time, a.Done)
	}
}

func BenchmarkInteractionRoundTrip(b *testing.B) {
	srv := New(b)
	s := srv.Session(srv.Token())
	s.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "pong", AllowedMentions: noMentions()},
		})
	})
	if err := s.Open(); err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	var total time.Duration
	for b.Loop() {
		in := srv.DispatchCommand(Command{Name: "ping"})
		if _, err := srv.WaitCallback(ctx, in.ID); err != nil {
			b.Fatal(err)
		}
		lat, _ := srv.Latency(in.ID)
		total += lat
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N), "µs-dispatch-to-callback/op")
}
