package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// RegisteredCommand is an application command as the fake stores it.
type RegisteredCommand struct {
	ID          string
	GuildID     string // "" for a global command
	Version     string
	Type        int
	Name        string
	Description string
	Raw         json.RawMessage // as GET would answer it
}

// Commands returns the commands registered globally (guildID "") or in a
// guild, in registration order.
func (s *Server) Commands(guildID string) []RegisteredCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []RegisteredCommand
	for _, c := range s.commands[guildID] {
		out = append(out, RegisteredCommand{ID: c.ID, GuildID: c.GuildID, Version: c.Version, Type: c.typ(), Name: c.Name, Description: c.Description, Raw: mustJSON(c)})
	}
	return out
}

type wireChoice struct {
	Name              string          `json:"name"`
	NameLocalizations json.RawMessage `json:"name_localizations,omitempty"`
	Value             json.RawMessage `json:"value"`
}

type wireOption struct {
	Type                     int             `json:"type"`
	Name                     string          `json:"name"`
	NameLocalizations        json.RawMessage `json:"name_localizations,omitempty"`
	Description              string          `json:"description"`
	DescriptionLocalizations json.RawMessage `json:"description_localizations,omitempty"`
	Required                 bool            `json:"required,omitempty"`
	Choices                  []wireChoice    `json:"choices,omitempty"`
	Options                  []wireOption    `json:"options,omitempty"`
	ChannelTypes             json.RawMessage `json:"channel_types,omitempty"`
	MinValue                 json.RawMessage `json:"min_value,omitempty"`
	MaxValue                 json.RawMessage `json:"max_value,omitempty"`
	MinLength                *int            `json:"min_length,omitempty"`
	MaxLength                *int            `json:"max_length,omitempty"`
	Autocomplete             bool            `json:"autocomplete,omitempty"`
}

// command is both what the bot sends and what the fake answers.
type command struct {
	ID                       string          `json:"id"`
	ApplicationID            string          `json:"application_id"`
	GuildID                  string          `json:"guild_id,omitempty"`
	Version                  string          `json:"version"`
	Type                     *int            `json:"type"`
	Name                     string          `json:"name"`
	NameLocalizations        json.RawMessage `json:"name_localizations,omitempty"`
	Description              string          `json:"description"`
	DescriptionLocalizations json.RawMessage `json:"description_localizations,omitempty"`
	Options                  []wireOption    `json:"options,omitempty"`
	DefaultMemberPermissions json.RawMessage `json:"default_member_permissions,omitempty"`
	DMPermission             *bool           `json:"dm_permission,omitempty"`
	Contexts                 json.RawMessage `json:"contexts,omitempty"`
	IntegrationTypes         json.RawMessage `json:"integration_types,omitempty"`
	NSFW                     bool            `json:"nsfw"`
}

func (c *command) typ() int {
	if c.Type == nil {
		return 1
	}
	return *c.Type
}

// nullToNil drops explicit nulls so that they are omitted on output.
func nullToNil(r *json.RawMessage) {
	if *r != nil && string(bytes.TrimSpace(*r)) == "null" {
		*r = nil
	}
}

func (c *command) normalize() {
	for _, r := range []*json.RawMessage{&c.NameLocalizations, &c.DescriptionLocalizations, &c.DefaultMemberPermissions, &c.Contexts, &c.IntegrationTypes} {
		nullToNil(r)
	}
	normalizeOptions(c.Options)
}

func normalizeOptions(opts []wireOption) {
	for i := range opts {
		o := &opts[i]
		for _, r := range []*json.RawMessage{&o.NameLocalizations, &o.DescriptionLocalizations, &o.ChannelTypes, &o.MinValue, &o.MaxValue} {
			nullToNil(r)
		}
		normalizeOptions(o.Options)
	}
}

// content is the part of a command that decides whether it changed.
func (c *command) content() string {
	cp := *c
	cp.ID, cp.Version, cp.ApplicationID, cp.GuildID = "", "", "", ""
	t := c.typ()
	cp.Type = &t
	return string(mustJSON(&cp))
}

// nameRE is Discord's rule for chat command and option names; they must
// also be lowercase where the script has case.
var nameRE = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

func validName(n string) bool { return nameRE.MatchString(n) && strings.ToLower(n) == n }

func badLength(fe *formErrors, path []string, s string, min, max int) {
	if n := utf8.RuneCountInString(s); n < min || n > max {
		fe.add(path, "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between %d and %d in length.", min, max))
	}
}

func validateCommand(fe *formErrors, path []string, c *command) {
	switch t := c.typ(); t {
	case 1:
		if !validName(c.Name) {
			fe.add(at(path, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
		}
		badLength(fe, at(path, "description"), c.Description, 1, 100)
		validateOptions(fe, at(path, "options"), c.Options, 0)
	case 2, 3:
		badLength(fe, at(path, "name"), c.Name, 1, 32)
		if c.Description != "" {
			fe.add(at(path, "description"), "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION", "Context menu commands cannot have description")
		}
		if len(c.Options) > 0 {
			fe.add(at(path, "options"), "APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS", "Context menu commands cannot have options")
		}
	default:
		fe.add(at(path, "type"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}.")
	}
	if c.DefaultMemberPermissions != nil {
		var p string
		if json.Unmarshal(c.DefaultMemberPermissions, &p) != nil {
			p = string(c.DefaultMemberPermissions)
		}
		if _, err := strconv.ParseUint(p, 10, 64); err != nil {
			fe.add(at(path, "default_member_permissions"), "BASE_TYPE_INVALID_INTEGER", "Value is not a valid integer.")
		}
	}
}

// validateOptions checks one level of options; depth is 0 for a command's
// own options, 1 inside a subcommand group, 2 inside a subcommand.
func validateOptions(fe *formErrors, path []string, opts []wireOption, depth int) {
	if len(opts) > 25 {
		fe.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
	}
	names := map[string]bool{}
	sawOptional, subs, plain := false, 0, 0
	for i, o := range opts {
		p := at(path, strconv.Itoa(i))
		if o.Type < 1 || o.Type > 11 {
			fe.add(at(p, "type"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.")
			continue
		}
		if !validName(o.Name) {
			fe.add(at(p, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
		}
		if names[o.Name] {
			fe.add(at(p, "name"), "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME", "Command options must have unique names")
		}
		names[o.Name] = true
		badLength(fe, at(p, "description"), o.Description, 1, 100)

		sub := o.Type == 1 || o.Type == 2
		if sub {
			subs++
		} else {
			plain++
			if o.Required && sawOptional {
				fe.add(path, "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options")
			}
			if !o.Required {
				sawOptional = true
			}
		}
		switch {
		case o.Type == 2 && depth != 0,
			o.Type == 1 && depth == 2:
			fe.add(at(p, "type"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Sub-commands cannot be nested this deep")
		case o.Type == 2:
			for j, so := range o.Options {
				if so.Type != 1 {
					fe.add(at(p, "options", strconv.Itoa(j), "type"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Sub-command groups may only contain sub-commands")
				}
			}
			validateOptions(fe, at(p, "options"), o.Options, 1)
		case o.Type == 1:
			validateOptions(fe, at(p, "options"), o.Options, 2)
		case len(o.Options) > 0:
			fe.add(at(p, "options"), "APPLICATION_COMMAND_OPTION_OPTIONS_INVALID", "Only sub-commands and groups may have options")
		}

		if len(o.Choices) > 0 {
			if o.Type != 3 && o.Type != 4 && o.Type != 10 {
				fe.add(at(p, "choices"), "APPLICATION_COMMAND_OPTION_CHOICES_INVALID", "Only string, integer and number options may have choices")
			}
			if o.Autocomplete {
				fe.add(at(p, "autocomplete"), "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_AND_CHOICES", "Autocomplete cannot be enabled on an option with choices")
			}
		}
		if len(o.Choices) > 25 {
			fe.add(at(p, "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
		}
		for j, ch := range o.Choices {
			cp := at(p, "choices", strconv.Itoa(j))
			badLength(fe, at(cp, "name"), ch.Name, 1, 100)
			validateChoiceValue(fe, at(cp, "value"), o.Type, ch.Value)
		}
		for _, l := range []struct {
			name string
			v    *int
		}{{"min_length", o.MinLength}, {"max_length", o.MaxLength}} {
			if l.v != nil && (*l.v < 0 || *l.v > 6000) {
				fe.add(at(p, l.name), "NUMBER_TYPE_MAX", "int value should be between 0 and 6000.")
			}
		}
	}
	if subs > 0 && plain > 0 {
		fe.add(path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-command and sub-command group option types are mutually exclusive to all other types")
	}
}

func validateChoiceValue(fe *formErrors, path []string, typ int, v json.RawMessage) {
	switch typ {
	case 3:
		var s string
		if json.Unmarshal(v, &s) != nil {
			fe.add(path, "BASE_TYPE_STRING", "Must be a string.")
			return
		}
		badLength(fe, path, s, 1, 100)
	case 4:
		var n json.Number
		if json.Unmarshal(v, &n) != nil {
			fe.add(path, "NUMBER_TYPE_COERCE", "Value is not a valid integer.")
		} else if _, err := n.Int64(); err != nil {
			fe.add(path, "NUMBER_TYPE_COERCE", "Value is not a valid integer.")
		}
	case 10:
		var f float64
		if json.Unmarshal(v, &f) != nil {
			fe.add(path, "NUMBER_TYPE_COERCE", "Value is not a valid number.")
		}
	}
}

// commandScopeLocked checks the application and guild of a commands URL.
func (s *Server) commandScopeLocked(r *http.Request) (string, *apiError) {
	if r.PathValue("app") != s.app.ID {
		return "", errForbidden(codeMissingAccess, "Missing Access")
	}
	g := r.PathValue("guild")
	if g != "" {
		if _, ok := s.guilds[g]; !ok {
			return "", errForbidden(codeMissingAccess, "Missing Access")
		}
	}
	return g, nil
}

func (s *Server) listCommands(r *http.Request, _ []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	scope, err := s.commandScopeLocked(r)
	if err != nil {
		return 0, err
	}
	out := []*command{}
	out = append(out, s.commands[scope]...)
	return http.StatusOK, out
}

func (s *Server) getCommand(r *http.Request, _ []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	scope, err := s.commandScopeLocked(r)
	if err != nil {
		return 0, err
	}
	for _, c := range s.commands[scope] {
		if c.ID == r.PathValue("cmd") {
			return http.StatusOK, c
		}
	}
	return 0, errUnknown(codeUnknownCommand, "application command")
}

func (s *Server) deleteCommand(r *http.Request, _ []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	scope, err := s.commandScopeLocked(r)
	if err != nil {
		return 0, err
	}
	for i, c := range s.commands[scope] {
		if c.ID == r.PathValue("cmd") {
			s.commands[scope] = append(s.commands[scope][:i:i], s.commands[scope][i+1:]...)
			s.notifyLocked()
			return http.StatusNoContent, nil
		}
	}
	return 0, errUnknown(codeUnknownCommand, "application command")
}

// commandLimits is how many commands of each type an application may have
// in one scope.
var commandLimits = map[int]int{1: 100, 2: 15, 3: 15}

func (s *Server) overwriteCommands(r *http.Request, body []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	scope, aerr := s.commandScopeLocked(r)
	if aerr != nil {
		return 0, aerr
	}
	var in []*command
	if err := json.Unmarshal(body, &in); err != nil {
		var fe formErrors
		fe.add(nil, "BASE_TYPE_ARRAY", "Must be an array.")
		return 0, fe.err()
	}
	var fe formErrors
	counts := map[int]int{}
	seen := map[string]bool{}
	for i, c := range in {
		if c == nil {
			fe.add([]string{strconv.Itoa(i)}, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
			continue
		}
		c.normalize()
		validateCommand(&fe, []string{strconv.Itoa(i)}, c)
		key := strconv.Itoa(c.typ()) + "\x00" + c.Name
		if seen[key] {
			fe.add([]string{strconv.Itoa(i), "name"}, "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
		}
		seen[key] = true
		counts[c.typ()]++
	}
	if err := fe.err(); err != nil {
		return 0, err
	}
	for t, n := range counts {
		if lim := commandLimits[t]; n > lim {
			return 0, errBadRequest(codeMaxCommandsExceeded, fmt.Sprintf("Maximum number of application commands reached (%d)", lim))
		}
	}
	old := s.commands[scope]
	out := make([]*command, 0, len(in))
	for _, c := range in {
		out = append(out, s.storeCommandLocked(scope, c, old))
	}
	s.commands[scope] = out
	s.notifyLocked()
	return http.StatusOK, out
}

func (s *Server) createCommand(r *http.Request, body []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	scope, aerr := s.commandScopeLocked(r)
	if aerr != nil {
		return 0, aerr
	}
	var c command
	if err := json.Unmarshal(body, &c); err != nil {
		return 0, errBadRequest(codeInvalidFormBody, messageInvalidFormBody)
	}
	c.normalize()
	var fe formErrors
	validateCommand(&fe, nil, &c)
	if err := fe.err(); err != nil {
		return 0, err
	}
	old := s.commands[scope]
	stored := s.storeCommandLocked(scope, &c, old)
	for i, o := range old {
		if o.ID == stored.ID {
			s.commands[scope][i] = stored
			s.notifyLocked()
			return http.StatusOK, stored
		}
	}
	n := 0
	for _, o := range old {
		if o.typ() == c.typ() {
			n++
		}
	}
	if n >= commandLimits[c.typ()] {
		return 0, errBadRequest(codeMaxCommandsExceeded, fmt.Sprintf("Maximum number of application commands reached (%d)", commandLimits[c.typ()]))
	}
	s.commands[scope] = append(s.commands[scope], stored)
	s.notifyLocked()
	return http.StatusCreated, stored
}

// storeCommandLocked gives c its identity: a command with the same name and
// type keeps its ID, and keeps its version unless it changed.
func (s *Server) storeCommandLocked(scope string, c *command, old []*command) *command {
	cp := *c
	t := c.typ()
	cp.Type = &t
	cp.ApplicationID = s.app.ID
	cp.GuildID = scope
	if cp.IntegrationTypes == nil {
		cp.IntegrationTypes = json.RawMessage("[0]")
	}
	if cp.Contexts == nil && scope == "" {
		cp.Contexts = json.RawMessage("[0,1,2]")
	}
	for _, o := range old {
		if o.Name == c.Name && o.typ() == t {
			cp.ID = o.ID
			cp.Version = o.Version
			if o.content() != cp.content() {
				cp.Version = s.nextIDLocked()
			}
			return &cp
		}
	}
	cp.ID = s.nextIDLocked()
	cp.Version = s.nextIDLocked()
	return &cp
}
