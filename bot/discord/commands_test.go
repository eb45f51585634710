package discord

import (
	"regexp"
	"testing"

	"github.com/bwmarrin/discordgo"
)

var commandName = regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)

// TestApplicationCommands checks the registration payload against Discord's
// rules and pins it.
func TestApplicationCommands(t *testing.T) {
	cmds := applicationCommands(builtinBot(t).Commands(), true)
	if len(cmds) == 0 || len(cmds) > 100 {
		t.Fatalf("%d commands", len(cmds))
	}
	messages := 0
	for _, c := range cmds {
		if c.Contexts == nil || len(*c.Contexts) != 3 || c.IntegrationTypes == nil || len(*c.IntegrationTypes) != 2 {
			t.Errorf("/%s: global commands must declare contexts and integration types", c.Name)
		}
		if c.Type == discordgo.MessageApplicationCommand {
			// A message command's name is what its menu shows: any
			// characters, up to 32, and it has nothing else.
			messages++
			if n := len([]rune(c.Name)); n < 1 || n > 32 || c.Description != "" || c.Options != nil {
				t.Errorf("message command %q: %d characters, description %q, %d options", c.Name, n, c.Description, len(c.Options))
			}
			continue
		}
		if c.Type != discordgo.ChatApplicationCommand {
			t.Errorf("/%s: type %d", c.Name, c.Type)
		}
		if !commandName.MatchString(c.Name) {
			t.Errorf("command name %q breaks Discord's rule", c.Name)
		}
		if n := len([]rune(c.Description)); n < 1 || n > 100 {
			t.Errorf("/%s: description of %d characters", c.Name, n)
		}
		checkOptions(t, c.Name, c.Options)
	}
	if messages > 5 {
		t.Errorf("%d message commands; Discord allows 5", messages)
	}
	golden(t, "commands.json", cmds)
}

func checkOptions(t *testing.T, where string, opts []*discordgo.ApplicationCommandOption) {
	t.Helper()
	if len(opts) > 25 {
		t.Errorf("%s: %d options", where, len(opts))
	}
	optional := false
	for _, o := range opts {
		if !commandName.MatchString(o.Name) {
			t.Errorf("%s: option name %q", where, o.Name)
		}
		if n := len([]rune(o.Description)); n < 1 || n > 100 {
			t.Errorf("%s %s: description of %d characters", where, o.Name, n)
		}
		if len(o.Choices) > 25 || (len(o.Choices) > 0 && o.Autocomplete) {
			t.Errorf("%s %s: %d choices, autocomplete %v", where, o.Name, len(o.Choices), o.Autocomplete)
		}
		if o.Required && optional {
			t.Errorf("%s %s: a required option after an optional one", where, o.Name)
		}
		optional = optional || !o.Required
		checkOptions(t, where+" "+o.Name, o.Options)
	}
}

func TestSameCommands(t *testing.T) {
	want := applicationCommands(builtinBot(t).Commands(), true)
	// What Discord returns: ids, versions, and omitted empty fields.
	have := applicationCommands(builtinBot(t).Commands(), true)
	for i, c := range have {
		c.ID, c.Version, c.ApplicationID = "1", "2", "3"
		for _, o := range c.Options {
			o.ChannelTypes = []discordgo.ChannelType{}
		}
		have[i] = c
	}
	have[0], have[1] = have[1], have[0]
	if !sameCommands(have, want) {
		t.Error("the same commands in another order, with ids, compare different")
	}
	changed := applicationCommands(builtinBot(t).Commands(), true)
	changed[3].Description += "!"
	if sameCommands(changed, want) {
		t.Error("a changed description compares equal")
	}
	if sameCommands(want[1:], want) {
		t.Error("a missing command compares equal")
	}
	guild := applicationCommands(builtinBot(t).Commands(), false)
	if sameCommands(want, guild) != true {
		t.Error("contexts Discord filled in on guild commands make them differ")
	}
}
