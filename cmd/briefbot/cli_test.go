package main

import (
	"bytes"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/openai/openaitest"
)

// closedURL is an http:// address where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// TestCommandLine is every message of the command line: where flags may
// go, each command's help, and what a mistaken setting is told, with the
// fix.
func TestCommandLine(t *testing.T) {
	token := "MTE5MTE2ODkxNDIzMTM5NDMwNQ.Gabcde.xyz" // the first part is an application id in base64
	nowhere := closedURL(t)
	db := filepath.Join(t.TempDir(), "briefbot.db")
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stdout []string // substrings of stdout
		stderr []string // substrings of stderr
		not    []string // in neither
	}{
		// Flags before or after the command, or among its arguments.
		{name: "a flag before the command", args: []string{"--log-level", "debug", "ask", "/energy"}, stdout: []string{"== Energy: oil, gas and OPEC+ =="}},
		{name: "a flag after the command", args: []string{"ask", "/energy", "--log-level", "debug"}, stdout: []string{"== Energy: oil, gas and OPEC+ =="}},
		{name: "a flag among the words", args: []string{"ask", "what", "--width=0", "about", "the", "oil?"}, stdout: []string{"== what about the oil? ==", "[1] /energy · Energy: oil, gas and OPEC+"}},
		{name: "a flag before invite", args: []string{"--app-id", "1191168914231394305", "invite"}, stdout: []string{"client_id=1191168914231394305&"}},
		{name: "a flag after invite", args: []string{"invite", "--app-id=1191168914231394305"}, stdout: []string{"client_id=1191168914231394305&"}},
		{name: "-- ends the flags", args: []string{"ask", "--", "--help"}, stdout: []string{"== --help =="}, not: []string{"Usage:"}},

		// Help: every command's own, with its flags and an example.
		{name: "ask --help", args: []string{"ask", "--help"}, stdout: []string{"briefbot ask: print one answer", "Usage: briefbot ask [flags] QUESTION", "Examples:\n  briefbot ask /summary", "--content DIR", "--width N", "$BRIEFBOT_LOG_LEVEL"}, not: []string{"--shard-id", "--digest-grace"}},
		{name: "help ask", args: []string{"help", "ask"}, stdout: []string{"Usage: briefbot ask [flags] QUESTION"}},
		{name: "serve --help", args: []string{"serve", "--help"}, stdout: []string{"briefbot serve: answer Discord's interactions over HTTP", "Usage: briefbot serve [flags]", "DISCORD_PUBLIC_KEY=… briefbot serve", "--http-addr ADDR", "--gateway auto|all|dm|off", "--metrics-addr ADDR", "--start-retry DURATION", "--question-log-days N"}, not: []string{"--width", "--shard-id"}},
		{name: "run --help names the serving flags", args: []string{"help", "run"}, stdout: []string{"--http-addr ADDR", "--gateway auto|all|dm|off", "--metrics-addr ADDR"}},
		{name: "-h after the command", args: []string{"run", "-h"}, stdout: []string{"Usage: briefbot run [flags]", "--shard-count N", "--digest-grace DURATION", "--start-retry DURATION"}, not: []string{"--width"}},
		{name: "draft --help", args: []string{"draft", "--help"}, stdout: []string{"Usage: briefbot draft [flags] ARTICLE", "Flags of draft:\n  -o FILE", "briefbot draft story.txt -o stories/story.md"}},
		{name: "invite --help", args: []string{"--help", "invite"}, stdout: []string{"Usage: briefbot invite", "--app-id ID", "$BRIEFBOT_APP_ID"}, not: []string{"--content"}},
		{name: "version --help", args: []string{"version", "--help"}, stdout: []string{"briefbot version: print briefbot's version"}, not: []string{"--content"}},
		{name: "the global help", args: []string{"-h"}, stdout: []string{"Commands:", "version", "Flags go before or after the command", "DISCORD_TOKEN"}},
		{name: "version", args: []string{"version"}, stdout: []string{"briefbot ", "\ncommit: ", "\ngo: go1."}},

		// Mistakes, and what to do instead.
		{name: "an unknown command", args: []string{"hlep"}, code: 2, stderr: []string{`unknown command "hlep": did you mean help?`}},
		{name: "an unknown flag", args: []string{"ask", "--log-levle", "debug", "/energy"}, code: 2, stderr: []string{"there is no flag --log-levle: did you mean --log-level?", "Run briefbot ask --help for the settings."}},
		{name: "a flag without its value", args: []string{"ask", "/energy", "--content"}, code: 2, stderr: []string{"--content needs a value: read articles from the Markdown files in DIR"}},
		{name: "a guild id", args: []string{"--guild", "1234", "register"}, env: map[string]string{"DISCORD_TOKEN": token}, code: 2,
			stderr: []string{`--guild "1234" is not a guild id: a guild id is a 17–20 digit number. In Discord, turn on Developer Mode (User Settings → Advanced), then right-click the server and Copy Server ID`}},
		{name: "an application id", args: []string{"invite", "--app-id", "12345"}, code: 2, stderr: []string{"an application id is a 17–20 digit number"}},
		{name: "a duration", args: []string{"--digest-grace", "5", "ask", "/energy"}, code: 2,
			stderr: []string{`invalid value "5" for --digest-grace: not a duration: give a duration such as 30m or 2h`}},
		{name: "a duration in the environment", env: map[string]string{"BRIEFBOT_DIGEST_GRACE": "5"}, args: []string{"ask", "/energy"}, code: 2,
			stderr: []string{`invalid value "5" for BRIEFBOT_DIGEST_GRACE (--digest-grace): not a duration: give a duration such as 30m or 2h`}},
		{name: "a log level", env: map[string]string{"BRIEFBOT_LOG_LEVEL": "verbose"}, args: []string{"ask", "/energy"}, code: 2,
			stderr: []string{`invalid value "verbose" for BRIEFBOT_LOG_LEVEL (--log-level): the log levels are debug, info, warn and error`}, not: []string{"unknown name"}},
		{name: "a number", args: []string{"ask", "--width", "wide", "/energy"}, code: 2, stderr: []string{`invalid value "wide" for --width: not a whole number: give one such as 10`}},
		{name: "a token with its Bot prefix", env: map[string]string{"DISCORD_TOKEN": "Bot " + token}, args: []string{"run"}, code: 2,
			stderr: []string{"DISCORD_TOKEN starts with \"Bot \": drop the `Bot ` prefix and set the token alone; briefbot adds the prefix itself"}, not: []string{token}},
		{name: "a token with its Bot prefix, to invite", env: map[string]string{"DISCORD_TOKEN": "Bot " + token}, args: []string{"invite"}, code: 2, stderr: []string{"drop the `Bot ` prefix"}},
		{name: "a token in quotes", env: map[string]string{"DISCORD_TOKEN": `"` + token + `"`}, args: []string{"register"}, code: 2, stderr: []string{"DISCORD_TOKEN is in quotes: set the token without them"}},
		{name: "a token that is none, to invite", env: map[string]string{"DISCORD_TOKEN": "bogus"}, args: []string{"invite"}, code: 2,
			stderr: []string{"DISCORD_TOKEN is set but is not a bot token, so the application id cannot be read from it", "or give --app-id (BRIEFBOT_APP_ID)"}, not: []string{"DISCORD_TOKEN is not set", "bogus"}},
		{name: "a Discord URL where nothing listens", env: map[string]string{"DISCORD_TOKEN": token}, args: []string{"--discord-url", nowhere, "--start-retry", "0", "register"}, code: 1,
			stderr: []string{"cannot reach " + nowhere + ": dial tcp", "Check --discord-url (BRIEFBOT_DISCORD_URL, now " + nowhere + ") and the network"}, not: []string{"discord.com"}},
		{name: "a Discord URL where nothing listens, to serve", env: map[string]string{"DISCORD_TOKEN": token, "DISCORD_PUBLIC_KEY": strings.Repeat("ab", 32)},
			args: []string{"serve", "--discord-url", nowhere, "--start-retry", "0", "--http-addr", "127.0.0.1:0", "--db", db}, code: 1,
			stderr: []string{"cannot reach " + nowhere + ": dial tcp", "Check --discord-url (BRIEFBOT_DISCORD_URL, now " + nowhere + ") and the network"}, not: []string{"discord.com"}},

		// The console and ask log only warnings unless told.
		{name: "ask logs no info", args: []string{"ask", "--llm-model", "m", "--llm-url", nowhere + "/v1", "--db", db, "/energy"}, stdout: []string{"== Energy"}, not: []string{"rephrasing is on"}},
		{name: "ask logs info when told", args: []string{"ask", "--llm-model", "m", "--llm-url", nowhere + "/v1", "--db", db, "--log-level", "info", "/energy"}, stderr: []string{`msg="rephrasing is on"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := testRun(t, tt.env, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			for _, not := range tt.not {
				if strings.Contains(stdout, not) || strings.Contains(stderr, not) {
					t.Errorf("the output has %q:\nstdout: %s\nstderr: %s", not, stdout, stderr)
				}
			}
		})
	}
}

// Logs write durations as people read them, in JSON too.
func TestLogDurations(t *testing.T) {
	for _, format := range []string{"json", "text"} {
		var out bytes.Buffer
		log := newLogger(&Config{LogFormat: format, LogLevel: slog.LevelInfo}, &out)
		log.Info("digest scheduler started", "grace", time.Hour, "retry_in", 1500*time.Millisecond)
		for _, want := range map[string][]string{"json": {`"grace":"1h0m0s"`, `"retry_in":"1.5s"`}, "text": {"grace=1h0m0s", "retry_in=1.5s"}}[format] {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s log %q lacks %s", format, out.String(), want)
			}
		}
	}
}

// The one reader at the console waits out no cooldown between
// rephrasings, which a server's members do.
func TestConsoleHasNoCooldown(t *testing.T) {
	model := openaitest.NewServer(t, openaitest.Text(simpleEnergy))
	vars := map[string]string{
		"BRIEFBOT_LLM_MODEL": "fake-model", "OPENAI_BASE_URL": model.BaseURL(), "OPENAI_API_KEY": "sk-test-key",
		"BRIEFBOT_DB": filepath.Join(t.TempDir(), "briefbot.db"), "BRIEFBOT_LLM_COOLDOWN": "1h",
	}
	code, stdout, stderr := testRun(t, vars, "energy simply\nsummary simply\nskeptic simply\n", "console")
	if code != 0 || model.Calls() < 3 || strings.Contains(stdout, "You can ask for another rephrasing in") {
		t.Errorf("exit %d, %d model calls\nstdout:\n%s\nstderr:\n%s", code, model.Calls(), stdout, stderr)
	}
}
