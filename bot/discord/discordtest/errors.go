package discordtest

import "net/http"

// apiError is an error as Discord's REST API answers it: an HTTP status and
// a JSON body with a numeric code, a message and, for form validation,
// a tree of field errors.
type apiError struct {
	Status  int            `json:"-"`
	Code    int            `json:"code"`
	Message string         `json:"message"`
	Errors  map[string]any `json:"errors,omitempty"`
}

func (e *apiError) Error() string { return e.Message }

// Discord's JSON error codes that the fake answers with.
const (
	codeGeneral             = 0
	codeUnknownChannel      = 10003
	codeUnknownMessage      = 10008
	codeUnknownUser         = 10013
	codeUnknownWebhook      = 10015
	codeUnknownInteraction  = 10062
	codeUnknownCommand      = 10063
	codeAlreadyAcknowledged = 40060
	codeAlreadyCrossposted  = 40033
	codeWrongChannelType    = 50024
	codeMissingAccess       = 50001
	codeEmptyMessage        = 50006
	codeCannotMessageUser   = 50007
	codeMissingPermissions  = 50013
	codeInvalidWebhookToken = 50027
	codeInvalidRecipients   = 50033
	codeInvalidFormBody     = 50035
	codeMaxCommandsExceeded = 30032
	messageRateLimited      = "You are being rate limited."
	messageInvalidFormBody  = "Invalid Form Body"
	messageUnauthorized     = "401: Unauthorized"
	messageNotFound         = "404: Not Found"
	messageAlreadyAcked     = "Interaction has already been acknowledged."
)

func errUnauthorized() *apiError {
	return &apiError{Status: http.StatusUnauthorized, Code: codeGeneral, Message: messageUnauthorized}
}

func errNotFound() *apiError {
	return &apiError{Status: http.StatusNotFound, Code: codeGeneral, Message: messageNotFound}
}

func errUnknown(code int, what string) *apiError {
	return &apiError{Status: http.StatusNotFound, Code: code, Message: "Unknown " + what}
}

func errForbidden(code int, msg string) *apiError {
	return &apiError{Status: http.StatusForbidden, Code: code, Message: msg}
}

func errBadRequest(code int, msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: code, Message: msg}
}

// formErrors collects field errors in the nested shape Discord uses for
// code 50035: {"0": {"name": {"_errors": [{"code": ..., "message": ...}]}}}.
type formErrors struct {
	tree map[string]any
}

func (f *formErrors) add(path []string, code, msg string) {
	if f.tree == nil {
		f.tree = map[string]any{}
	}
	node := f.tree
	for _, p := range path {
		next, ok := node[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			node[p] = next
		}
		node = next
	}
	list, _ := node["_errors"].([]any)
	node["_errors"] = append(list, map[string]any{"code": code, "message": msg})
}

func (f *formErrors) empty() bool { return len(f.tree) == 0 }

func (f *formErrors) err() *apiError {
	if f.empty() {
		return nil
	}
	return &apiError{Status: http.StatusBadRequest, Code: codeInvalidFormBody, Message: messageInvalidFormBody, Errors: f.tree}
}

// at returns path extended by elems; it never aliases path.
func at(path []string, elems ...string) []string {
	out := make([]string, 0, len(path)+len(elems))
	return append(append(out, path...), elems...)
}
