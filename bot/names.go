package bot

// ValidName reports whether s follows Discord's rule for command names,
// which briefbot also uses for article ids and option names: 1–32
// characters, each a lowercase letter a–z, a digit, '-' or '_'.
//
// Discord accepts lowercase letters of other scripts too; briefbot keeps to
// ASCII so that names are easy to type in every client and safe in custom
// ids.
func ValidName(s string) bool {
	if len(s) == 0 || len(s) > MaxCommandName {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Built-in command names. A section may not use them.
const (
	CommandHelp   = "help"
	CommandAbout  = "about"
	CommandDigest = "digest"
	CommandAsk    = "ask"
)

// Reserved reports whether name belongs to a built-in command.
func Reserved(name string) bool {
	switch name {
	case CommandHelp, CommandAbout, CommandDigest, CommandAsk:
		return true
	}
	return false
}
