package bot

import (
	"context"
	"strings"
	"unicode"
)

// The text grammar, shared by direct messages and the console:
//
//	energy                      a section (or help, about)
//	/summary article:some-id    the same with a slash and options as key:value
//	hi                          a greeting: help
//	what about the oil?         a free question: the best-matching section
//
// A word that looks like a command but is not one gets "did you mean".

// greetings open a conversation, and thanks close one: either is
// answered with a short reply in its own language, and help. A greeting
// may come with words that say nothing more ("hi there", "thanks a lot",
// "muchas gracias"); anything else makes the line a question.
var greetings = map[string]string{
	"hi": hiEN, "hello": helloEN, "hey": "Hey! 👋" + helpEN, "hiya": hiEN, "yo": hiEN, "howdy": "Howdy! 👋" + helpEN, "greetings": helloEN,
	"good morning": "Good morning! 👋" + helpEN, "good afternoon": "Good afternoon! 👋" + helpEN, "good evening": "Good evening! 👋" + helpEN, "good day": helloEN,
	"start": "", "menu": "", "commands": "",
	"hola": "¡Hola! 👋", "buenas": "¡Buenas! 👋", "buenos dias": "¡Buenos días! 👋", "buenos días": "¡Buenos días! 👋", "buenas tardes": "¡Buenas tardes! 👋", "buenas noches": "¡Buenas noches! 👋",
	"привет": "Привет! 👋", "здравствуйте": "Здравствуйте! 👋", "здравствуй": "Здравствуйте! 👋", "добрый день": "Добрый день! 👋", "доброе утро": "Доброе утро! 👋", "добрый вечер": "Добрый вечер! 👋",
	"olá": "Olá! 👋", "ola": "Olá! 👋", "oi": "Oi! 👋", "bom dia": "Bom dia! 👋", "boa tarde": "Boa tarde! 👋", "boa noite": "Boa noite! 👋",
	"bonjour": "Bonjour ! 👋", "salut": "Salut ! 👋", "bonsoir": "Bonsoir ! 👋",
	"hallo": "Hallo! 👋", "guten tag": "Guten Tag! 👋", "guten morgen": "Guten Morgen! 👋", "servus": "Servus! 👋", "moin": "Moin! 👋",
	"ciao": "Ciao! 👋", "buongiorno": "Buongiorno! 👋",

	"thanks": thanksEN, "thank": thanksEN, "thx": thanksEN, "ty": thanksEN, "tysm": thanksEN, "cheers": thanksEN, "thankyou": thanksEN,
	"gracias": "¡De nada!", "спасибо": "Пожалуйста!", "благодарю": "Пожалуйста!", "спс": "Пожалуйста!",
	"obrigado": "De nada!", "obrigada": "De nada!", "valeu": "De nada!",
	"merci": "Avec plaisir !", "danke": "Gern geschehen!", "dank": "Gern geschehen!", "grazie": "Prego!",
}

// The English replies; in other languages the greeting alone comes before
// help.
const (
	helpEN   = " Here is what I can do."
	hiEN     = "Hi! 👋" + helpEN
	helloEN  = "Hello! 👋" + helpEN
	thanksEN = "You're welcome! Here is what else you can ask."
)

// greetingFiller are the words a greeting or thanks may come with.
var greetingFiller = map[string]bool{
	"there": true, "all": true, "everyone": true, "everybody": true, "guys": true, "folks": true, "friend": true, "friends": true, "mate": true,
	"bot": true, "briefbot": true, "again": true, "so": true, "much": true, "very": true, "a": true, "lot": true, "lots": true, "you": true,
	"ok": true, "okay": true, "oh": true, "well": true, "great": true, "many": true, "y'all": true, "yall": true, "team": true,
	"muchas": true, "mil": true, "amigo": true, "todos": true, "beaucoup": true, "mille": true, "à": true, "tous": true,
	"vielen": true, "schön": true, "schon": true, "sehr": true, "muito": true, "muitas": true, "большое": true, "всем": true, "огромное": true,
}

// greeting returns the reply to a line that only greets or thanks, and
// whether it does.
func greeting(line string) (string, bool) {
	if strings.Trim(line, "? ") == "" {
		return "", line != ""
	}
	words := strings.FieldsFunc(strings.ToLower(line), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
	var kept []string
	for _, w := range words {
		if !greetingFiller[w] {
			kept = append(kept, w)
		}
	}
	reply, ok := greetings[strings.Join(kept, " ")]
	return reply, ok && len(kept) > 0 && len(kept) <= 2
}

func (b *Bot) answerText(ctx context.Context, r *Request) (*Reply, error) {
	line := strings.TrimSpace(r.Text)
	hello, greets := greeting(line)
	if line == "" || greets {
		help, err := b.answerHelp(ctx, &Request{Kind: KindCommand, Command: CommandHelp, Source: r.Source, Markup: r.Markup})
		if err == nil {
			help.Content = hello
		}
		return help, err
	}
	words, err := splitWords(line)
	if err != nil {
		return nil, err
	}
	first := words[0]
	slashed := strings.HasPrefix(first, "/")
	name := strings.ToLower(strings.TrimRightFunc(strings.TrimPrefix(first, "/"), isTrailingPunct))

	if b.Has(name) {
		cmd := *r
		cmd.Kind, cmd.Command, cmd.Text = KindCommand, name, ""
		cmd.Options = make(map[string]string, len(words)-1)
		args := words[1:]
		// "/digest list": a command with subcommands takes one first.
		if len(args) > 0 && b.hasSubcommands(name) && !strings.Contains(args[0], ":") {
			cmd.Subcommand, args = strings.ToLower(args[0]), args[1:]
		}
		var extra []string
		for _, w := range args {
			if key, value, ok := strings.Cut(w, ":"); ok && ValidName(key) {
				cmd.Options[key] = value
			} else {
				extra = append(extra, w)
			}
		}
		// Words after the name may ask for a style or a language:
		// "energy simply", "summary in Spanish".
		rest, style, lang := SplitStyle(strings.Join(extra, " "))
		if rest = strings.TrimSpace(rest); rest != "" && b.hasSubcommands(name) {
			return nil, Errorf(Invalid, "I understood /%s but not %q. Say what to do first (%s), then any options as key:value.",
				strings.TrimSpace(name+" "+cmd.Subcommand), Clip(rest, 40), strings.Join(b.subcommands(name), ", "))
		}
		if rest != "" {
			return nil, Errorf(Invalid, "I understood /%s but not %q. Options go after the name as key:value, like /%s article:%s, or ask for a style or language, like %s simply or %s in Spanish.",
				name, Clip(rest, 40), name, b.lib.Default().ID, name, name)
		}
		reply, err := b.route(ctx, &cmd)
		if err != nil || (style == StyleCurated && lang.IsZero()) || !b.lib.IsSection(name) {
			return reply, err
		}
		a, _ := b.sectionArticle(&cmd) // route has checked it
		styled := b.rewrite(ctx, &cmd, a, a.Section(name), 0, style, lang)
		styled.Private = reply.Private
		return styled, nil
	}

	if !slashed {
		rest, style, lang := SplitStyle(line)
		if s, ok := b.match(rest); ok {
			reply := b.views[s].reply(0)
			if style != StyleCurated || !lang.IsZero() {
				reply = b.rewrite(ctx, r, b.lib.Default(), s, 0, style, lang)
			}
			copied := *reply
			copied.Content = strings.TrimSpace("Best match for your question: /" + s.Name + " (" + s.Title + ")\n" + reply.Content)
			return &copied, nil
		}
	}
	if guess := b.closest(name); guess != "" && (slashed || len(words) == 1) {
		return nil, Errorf(NotFound, "There is no /%s. Did you mean /%s? Type help to see everything you can ask.", Clip(name, 40), guess)
	}
	if slashed {
		return nil, Errorf(NotFound, "There is no /%s. Type help to see everything you can ask.", Clip(name, 40))
	}
	return nil, Errorf(NotFound, "I couldn't match that to a section of the article. Type help to see what you can ask, or try a section name such as /%s.", b.lib.Default().Sections[0].Name)
}

// hasSubcommands reports whether the command name takes a subcommand.
func (b *Bot) hasSubcommands(name string) bool { return len(b.subcommands(name)) > 0 }

// subcommands returns the names of the command's subcommands.
func (b *Bot) subcommands(name string) []string {
	rt, ok := b.routes[name]
	if !ok {
		return nil
	}
	var names []string
	for _, o := range rt.spec.Options {
		if o.Type == OptionSubcommand {
			names = append(names, o.Name)
		}
	}
	return names
}

func isTrailingPunct(r rune) bool {
	return r == '?' || r == '!' || r == '.' || r == ',' || r == ';' || r == '¿' || r == '¡'
}

// splitWords splits a line at spaces, keeping "quoted phrases" (straight or
// curly quotes) together, so that an option value may hold spaces.
func splitWords(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	var quote rune
	for _, c := range line {
		switch {
		case quote != 0 && (c == quote || quote == '“' && c == '”'):
			quote = 0
		case quote == 0 && (c == '"' || c == '“'):
			quote = c
		case quote == 0 && unicode.IsSpace(c):
			if cur.Len() > 0 {
				words = append(words, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(c)
		}
	}
	if quote != 0 {
		return nil, Errorf(Invalid, "A quote is left open: close it with a matching quote mark.")
	}
	if cur.Len() > 0 {
		words = append(words, cur.String())
	}
	if len(words) == 0 {
		words = []string{""}
	}
	return words, nil
}
