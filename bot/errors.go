package bot

import (
	"errors"
	"fmt"
)

// ErrorKind classifies an error for the person who asked. The zero kind is
// Internal: the user is told that something went wrong and the cause goes to
// the log, once, at the edge.
type ErrorKind int

const (
	Internal    ErrorKind = iota // a bug or an outage; details stay in the log
	Invalid                      // the request is malformed: a bad option value, a bad time
	NotFound                     // no such command, article, section or subscription
	Forbidden                    // the asker may not do this (missing permission)
	Expired                      // an old button or an unknown component id
	Unavailable                  // a dependency is down or a limit is reached; try later
	Conflict                     // the request clashes with existing state
)

var kindNames = [...]string{
	Internal:    "internal",
	Invalid:     "invalid",
	NotFound:    "not found",
	Forbidden:   "forbidden",
	Expired:     "expired",
	Unavailable: "unavailable",
	Conflict:    "conflict",
}

func (k ErrorKind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("ErrorKind(%d)", int(k))
}

// Error is the core's error type. Message is written for the person who
// asked and is shown to them as is; Err is the cause, for the log.
type Error struct {
	Kind    ErrorKind
	Message string
	Err     error
}

// Errorf returns an *Error of the given kind whose user-facing message is
// formatted from format and args.
func Errorf(kind ErrorKind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string {
	switch {
	case e.Err != nil && e.Message != "":
		return e.Message + ": " + e.Err.Error()
	case e.Err != nil:
		return e.Err.Error()
	default:
		return e.Message
	}
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf reports the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// UserMessage is what the person who asked is told about err. Internal
// errors never leak their cause.
func UserMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Kind != Internal && e.Message != "" {
		return e.Message
	}
	return "Something went wrong on our side. Please try again in a moment."
}
