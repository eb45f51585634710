package discord

import "testing"

// route names a REST request's route bucket with no id and no token in
// it, so that a metric's label set stays small and leaks nothing.
func TestRoute(t *testing.T) {
	for _, tt := range []struct{ method, path, want string }{
		{"POST", "/api/v9/channels/1191169000000000002/messages", "POST /channels/{id}/messages"},
		{"POST", "/api/v9/interactions/1191169500000000123/aW50ZXJhY3Rpb246MTE5MTE2OTUwMDAwMDAwMDEyMzpqdXN0LWEtdGVzdA/callback", "POST /interactions/{id}/{token}/callback"},
		{"PATCH", "/api/v9/webhooks/1191168914231394305/aW50ZXJhY3Rpb24/messages/@original", "PATCH /webhooks/{id}/{token}/messages/@original"},
		{"PATCH", "/api/v9/webhooks/1191168914231394305/aW50ZXJhY3Rpb24/messages/1191169500000000999", "PATCH /webhooks/{id}/{token}/messages/{id}"},
		{"PUT", "/api/v9/applications/1191168914231394305/guilds/1191169000000000001/commands", "PUT /applications/{id}/guilds/{id}/commands"},
		{"GET", "/api/v9/gateway/bot", "GET /gateway/bot"},
		{"GET", "/api/v9/oauth2/applications/@me", "GET /oauth2/applications/@me"},
		{"POST", "/proxy/api/v10/users/@me/channels", "POST /users/@me/channels"},
	} {
		if got := route(tt.method, tt.path); got != tt.want {
			t.Errorf("route(%s %s) = %q, want %q", tt.method, tt.path, got, tt.want)
		}
	}
}
