package openaitest_test

//lint:file-ignore SA1019 the fake must accept max_tokens, which most OpenAI-compatible clients send.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/briefbot/briefbot/bot/openai/openaitest"
)

func client(s *openaitest.Server) *goopenai.Client {
	cfg := goopenai.DefaultConfig("sk-test")
	cfg.BaseURL = s.BaseURL()
	return goopenai.NewClientWithConfig(cfg)
}

func ask(c *goopenai.Client, ctx context.Context) (goopenai.ChatCompletionResponse, error) {
	return c.CreateChatCompletion(ctx, goopenai.ChatCompletionRequest{
		Model: "fake-model",
		Messages: []goopenai.ChatCompletionMessage{
			{Role: goopenai.ChatMessageRoleSystem, Content: "Be brief."},
			{Role: goopenai.ChatMessageRoleUser, Content: "Trade surged 70%."},
		},
		MaxTokens: 100,
	})
}

func TestReplyAndRecord(t *testing.T) {
	s := openaitest.NewServer(t, openaitest.Reply{Text: "Trade rose 70%.", PromptTokens: 12, CompletionTokens: 5})
	resp, err := ask(client(s), context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Choices[0].Message.Content; got != "Trade rose 70%." {
		t.Errorf("content = %q", got)
	}
	if resp.Usage.TotalTokens != 17 || resp.Choices[0].FinishReason != goopenai.FinishReasonStop {
		t.Errorf("usage %+v, finish %q", resp.Usage, resp.Choices[0].FinishReason)
	}
	req := s.Last()
	if s.Calls() != 1 || req.Model != "fake-model" || req.System() != "Be brief." || req.User() != "Trade surged 70%." ||
		req.MaxTokens != 100 || req.Authorization != "Bearer sk-test" {
		t.Errorf("recorded %d calls, last %+v", s.Calls(), req)
	}
}

func TestScriptOrder(t *testing.T) {
	s := openaitest.NewServer(t, openaitest.Text("one"), openaitest.Text("two"))
	c := client(s)
	var got []string
	for range 3 {
		resp, err := ask(c, context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, resp.Choices[0].Message.Content)
	}
	if strings.Join(got, ",") != "one,two,two" {
		t.Errorf("replies = %v, want one,two,two (the last repeats)", got)
	}
	s.Script(openaitest.Reply{Func: func(r openaitest.Request) openaitest.Reply { return openaitest.Text("echo: " + r.User()) }})
	if resp, _ := ask(c, context.Background()); resp.Choices[0].Message.Content != "echo: Trade surged 70%." {
		t.Errorf("Func reply = %q", resp.Choices[0].Message.Content)
	}
}

func TestStream(t *testing.T) {
	text := "Trade surged 70% in early 2024, with Russian exports to Venezuela up 453%."
	s := openaitest.NewServer(t, openaitest.Reply{Text: text})
	stream, err := client(s).CreateChatCompletionStream(context.Background(), goopenai.ChatCompletionRequest{
		Model:         "fake-model",
		Messages:      []goopenai.ChatCompletionMessage{{Role: "user", Content: "x"}},
		Stream:        true,
		StreamOptions: &goopenai.StreamOptions{IncludeUsage: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	var b strings.Builder
	chunks, usage := 0, 0
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		chunks++
		if len(resp.Choices) > 0 {
			b.WriteString(resp.Choices[0].Delta.Content)
		}
		if resp.Usage != nil {
			usage = resp.Usage.TotalTokens
		}
	}
	if b.String() != text || chunks < 3 || usage == 0 {
		t.Errorf("streamed %q in %d chunks, usage %d", b.String(), chunks, usage)
	}
	if !s.Last().Stream {
		t.Error("the request did not record stream: true")
	}
}

func TestErrors(t *testing.T) {
	s := openaitest.NewServer(t,
		openaitest.Reply{Status: http.StatusTooManyRequests, RetryAfter: "2", Message: "slow down"},
		openaitest.Status(http.StatusInternalServerError),
		openaitest.Reply{Malformed: true},
	)
	c := client(s)

	_, err := ask(c, context.Background())
	var apiErr *goopenai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 429 || apiErr.Message != "slow down" {
		t.Errorf("429: %v", err)
	}
	_, err = ask(c, context.Background())
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 500 {
		t.Errorf("500: %v", err)
	}
	_, err = ask(c, context.Background())
	var syntax *json.SyntaxError
	if !errors.As(err, &syntax) && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("malformed: %T %v, want a JSON error", err, err)
	}

	// The Retry-After header is sent.
	s.Script(openaitest.Reply{Status: 429, RetryAfter: "7"})
	resp, err := http.Post(s.BaseURL()+"/chat/completions", "application/json", strings.NewReader(`{"model":"m","messages":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7" {
		t.Errorf("status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

func TestHang(t *testing.T) {
	release := make(chan struct{})
	s := openaitest.NewServer(t, openaitest.Reply{Hang: true, Text: "late", Release: release})
	c := client(s)

	// A hang ends with the request.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := ask(c, ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hung request: %v", err)
	}

	// Or when released.
	done := make(chan string)
	go func() {
		resp, err := ask(c, context.Background())
		if err != nil {
			done <- err.Error()
			return
		}
		done <- resp.Choices[0].Message.Content
	}()
	close(release)
	if got := <-done; got != "late" {
		t.Errorf("released reply = %q", got)
	}
	if s.Calls() != 2 {
		t.Errorf("calls = %d, want 2", s.Calls())
	}
}

func TestModels(t *testing.T) {
	s := openaitest.NewServer(t)
	s.Models = []string{"llama3.2:3b", "fake-model"}
	list, err := client(s).ListModels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range list.Models {
		ids = append(ids, m.ID)
	}
	if strings.Join(ids, ",") != "llama3.2:3b,fake-model" {
		t.Errorf("models = %v", ids)
	}
	// Nothing scripted: a 500 that says so.
	if _, err := ask(client(s), context.Background()); err == nil || !strings.Contains(err.Error(), "no reply scripted") {
		t.Errorf("unscripted: %v", err)
	}
}
